CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, tenant INTEGER NOT NULL, handle VARCHAR(50), CONSTRAINT uq_users_tenant_email UNIQUE (tenant, email));

CREATE TABLE z_employees (id INTEGER PRIMARY KEY, department_id INTEGER NOT NULL REFERENCES a_departments (id), name VARCHAR NOT NULL);
CREATE TABLE a_departments (id INTEGER PRIMARY KEY, company_id INTEGER REFERENCES m_companies (id), name VARCHAR NOT NULL UNIQUE);
CREATE TABLE m_companies (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR NOT NULL);
CREATE INDEX ix_z_employees_department ON z_employees (department_id);

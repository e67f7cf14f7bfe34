CREATE TABLE accounts (id INTEGER PRIMARY KEY, status VARCHAR DEFAULT 'new', credit INTEGER, created_at TIMESTAMP);

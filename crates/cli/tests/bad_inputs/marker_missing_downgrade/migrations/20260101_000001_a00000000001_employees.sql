-- wildebeest revision
-- Revision: a00000000001
-- Revises: 
-- Message: employees
-- Created: 2026-01-01T00:00:00Z
-- Dialect: sqlite

-- +upgrade
CREATE TABLE employees (
    id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    salary INTEGER,
    PRIMARY KEY (id)
);

DROP TABLE employees;

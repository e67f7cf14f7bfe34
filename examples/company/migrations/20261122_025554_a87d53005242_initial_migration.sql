-- wildebeest revision
-- Revision: a87d53005242
-- Revises:
-- Message: Initial migration.
-- Created: 2026-11-22T02:55:54Z
-- Dialect: sqlite

-- +upgrade
CREATE TABLE employees (
    id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    salary INTEGER,
    PRIMARY KEY (id)
);

-- +downgrade
DROP TABLE employees;

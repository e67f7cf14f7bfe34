-- wildebeest revision
-- Revision: a00000000001
-- Revises: 
-- Message: m
-- Created: 2026-01-01T00:00:00Z
-- Dialect: sqlite

-- +downgrade
DROP TABLE employees;

-- +upgrade
CREATE TABLE employees (id INTEGER PRIMARY KEY);

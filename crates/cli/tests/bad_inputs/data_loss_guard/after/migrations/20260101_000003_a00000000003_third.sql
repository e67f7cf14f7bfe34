-- wildebeest revision
-- Revision: a00000000003
-- Revises: a00000000002
-- Message: m
-- Created: 2026-01-01T00:00:00Z
-- Dialect: sqlite

-- +upgrade
DROP TABLE department;

-- +downgrade
CREATE TABLE department (id INTEGER NOT NULL, name VARCHAR NOT NULL, PRIMARY KEY (id));

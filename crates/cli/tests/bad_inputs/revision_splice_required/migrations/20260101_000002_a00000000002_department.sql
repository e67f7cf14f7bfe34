-- wildebeest revision
-- Revision: a00000000002
-- Revises: a00000000001
-- Message: department
-- Created: 2026-01-01T00:00:01Z
-- Dialect: sqlite

-- +upgrade
CREATE TABLE department (id INTEGER NOT NULL, PRIMARY KEY (id));

-- +downgrade
DROP TABLE department;

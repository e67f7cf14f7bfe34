-- wildebeest revision
-- Revision: a00000000002
-- Revises: a00000000001
-- Message: department
-- Created: 2026-01-01T00:00:00Z
-- Dialect: sqlite

-- +upgrade
CREATE TABLE department (
    id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    PRIMARY KEY (id)
);

-- +downgrade
DROP TABLE department;

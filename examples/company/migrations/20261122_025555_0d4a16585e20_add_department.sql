-- wildebeest revision
-- Revision: 0d4a16585e20
-- Revises: a87d53005242
-- Message: add Department
-- Created: 2026-11-22T02:55:55Z
-- Dialect: sqlite

-- +upgrade
CREATE TABLE department (
    id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    address VARCHAR,
    PRIMARY KEY (id)
);

-- +downgrade
DROP TABLE department;

-- wildebeest revision
-- Revision: f7245cb64b7e
-- Revises: d710cba35039
-- Message: rename address
-- Created: 2026-12-07T04:55:51Z
-- Dialect: sqlite

-- +upgrade
ALTER TABLE departments RENAME COLUMN address TO location;

ALTER TABLE departments ALTER COLUMN location SET NOT NULL;

-- +downgrade
ALTER TABLE departments ALTER COLUMN location DROP NOT NULL;

ALTER TABLE departments RENAME COLUMN location TO address;

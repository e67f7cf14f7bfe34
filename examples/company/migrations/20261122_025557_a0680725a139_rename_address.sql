-- wildebeest revision
-- Revision: a0680725a139
-- Revises: 2a3aed20ad70
-- Message: rename address
-- Created: 2026-11-22T02:55:57Z
-- Dialect: sqlite

-- +upgrade
-- Edited by hand: rename the column (keeping its data), then require it.
ALTER TABLE departments RENAME COLUMN address TO location;
ALTER TABLE departments ALTER COLUMN location SET NOT NULL;

-- +downgrade
ALTER TABLE departments ALTER COLUMN location DROP NOT NULL;
ALTER TABLE departments RENAME COLUMN location TO address;

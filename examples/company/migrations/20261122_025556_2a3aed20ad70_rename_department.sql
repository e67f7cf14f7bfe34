-- wildebeest revision
-- Revision: 2a3aed20ad70
-- Revises: 0d4a16585e20
-- Message: rename department
-- Created: 2026-11-22T02:55:56Z
-- Dialect: sqlite

-- +upgrade
-- Edited by hand: a rename, not drop-and-create, so the rows stay.
ALTER TABLE department RENAME TO departments;

-- +downgrade
ALTER TABLE departments RENAME TO department;

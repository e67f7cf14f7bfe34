-- wildebeest revision
-- Revision: d710cba35039
-- Revises: 1d6147e6bfa1
-- Message: rename department
-- Created: 2026-12-07T04:55:48Z
-- Dialect: sqlite

-- +upgrade
ALTER TABLE department RENAME TO departments;

-- +downgrade
ALTER TABLE departments RENAME TO department;

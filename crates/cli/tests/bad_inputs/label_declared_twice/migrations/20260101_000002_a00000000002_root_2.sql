-- wildebeest revision
-- Revision: a00000000002
-- Revises:
-- Message: root 2
-- Created: 2026-01-01T00:00:02Z
-- Branch-Labels: billing
-- Dialect: sqlite

-- +upgrade
-- +downgrade

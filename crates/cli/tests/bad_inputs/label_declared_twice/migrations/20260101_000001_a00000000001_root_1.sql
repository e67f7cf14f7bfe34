-- wildebeest revision
-- Revision: a00000000001
-- Revises:
-- Message: root 1
-- Created: 2026-01-01T00:00:01Z
-- Branch-Labels: billing
-- Dialect: sqlite

-- +upgrade
-- +downgrade

-- wildebeest revision
-- Revision: a00000000002
-- Revises: a00000000001
-- Message: m
-- Created: 2026-01-01T00:00:00Z
-- Dialect: sqlite

-- +upgrade
CREATE TABLE "t (id INTEGER PRIMARY KEY);

-- +downgrade
DROP TABLE t;

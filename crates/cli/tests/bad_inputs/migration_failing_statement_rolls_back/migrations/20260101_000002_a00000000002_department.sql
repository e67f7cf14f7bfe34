-- wildebeest revision
-- Revision: a00000000002
-- Revises: a00000000001
-- Message: m
-- Created: 2026-01-01T00:00:00Z
-- Dialect: sqlite

-- +upgrade
CREATE TABLE audit (id INTEGER PRIMARY KEY);
INSERT INTO no_such_table VALUES (1);

-- +downgrade
DROP TABLE audit;

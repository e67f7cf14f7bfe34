-- wildebeest revision
-- Revision: 4affa59117c9
-- Revises:
-- Message: Initial migration.
-- Created: 2026-12-07T04:55:36Z
-- Dialect: sqlite

-- +upgrade
CREATE TABLE employees (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    salary INTEGER
);

-- +downgrade
-- DATA LOSS: drops table `employees` and every row in it
DROP TABLE employees;

-- wildebeest revision
-- Revision: 1d6147e6bfa1
-- Revises: 4affa59117c9
-- Message: add department
-- Created: 2026-12-07T04:55:46Z
-- Dialect: sqlite

-- +upgrade
CREATE TABLE department (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    address TEXT
);

-- +downgrade
-- DATA LOSS: drops table `department` and every row in it
DROP TABLE department;

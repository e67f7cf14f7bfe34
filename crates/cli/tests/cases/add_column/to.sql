CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    address VARCHAR,
    floor INTEGER NOT NULL DEFAULT 1,
    budget NUMERIC(12, 2) DEFAULT 0
);

CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    address VARCHAR
);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    address VARCHAR
);

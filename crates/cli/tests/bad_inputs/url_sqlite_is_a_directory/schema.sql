CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    salary INTEGER
);

CREATE TABLE department (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL
);

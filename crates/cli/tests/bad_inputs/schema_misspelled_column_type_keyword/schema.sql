CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NUL,
    salary INTEGER
);

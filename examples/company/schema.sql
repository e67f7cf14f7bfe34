-- The company schema at the end of the tutorial in the README.
CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    salary INTEGER
);

CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    location VARCHAR NOT NULL
);

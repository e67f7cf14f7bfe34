CREATE TABLE department (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    address VARCHAR
);
CREATE INDEX department_name ON department (name);

CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    department_id INTEGER REFERENCES department (id)
);

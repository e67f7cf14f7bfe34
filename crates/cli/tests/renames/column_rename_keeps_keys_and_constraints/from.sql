CREATE TABLE department (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    address VARCHAR CHECK (length(address) > 0),
    UNIQUE (name, address)
);

CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    department_id INTEGER REFERENCES department (id)
);

CREATE TABLE department (
    dept_id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    location VARCHAR CHECK (length(location) > 0),
    UNIQUE (name, location)
);

CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    department_id INTEGER REFERENCES department (dept_id)
);

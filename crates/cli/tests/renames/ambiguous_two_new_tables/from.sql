CREATE TABLE department (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    address VARCHAR
);

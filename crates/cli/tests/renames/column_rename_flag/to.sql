CREATE TABLE department (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    location VARCHAR
);
CREATE INDEX department_address ON department (location);

CREATE TABLE department (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    location TEXT NOT NULL DEFAULT 'unknown'
);
CREATE INDEX department_address ON department (location);

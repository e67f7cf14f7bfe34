CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    address TEXT
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    street VARCHAR,
    city VARCHAR(80)
);

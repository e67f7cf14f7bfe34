CREATE TABLE employees (id INTEGER PRIMARY KEY, salary INTEGER CHECK (salary >= 0), bonus INTEGER);

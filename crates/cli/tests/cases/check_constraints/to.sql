CREATE TABLE employees (id INTEGER PRIMARY KEY, salary INTEGER, bonus INTEGER, CONSTRAINT ck_bonus_below_salary CHECK (bonus < salary));

CREATE DOMAIN positive_int AS INTEGER CHECK (VALUE > 0);
CREATE DOMAIN old_code AS TEXT;
CREATE DOMAIN email AS VARCHAR(200) CONSTRAINT email_at CHECK (VALUE LIKE '%@%');

CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    email email NOT NULL,
    visits positive_int,
    code old_code
);

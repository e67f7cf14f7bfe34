-- As a dump written with --clean has them: a drop first.
DROP DOMAIN IF EXISTS positive_int;
CREATE DOMAIN positive_int AS INTEGER DEFAULT 1 NOT NULL
    CHECK (VALUE > 0)
    CONSTRAINT below_million CHECK (VALUE < 1000000);
-- The check loses its name: PostgreSQL names it `email_check`.
CREATE DOMAIN email VARCHAR(200) CHECK (VALUE LIKE '%@%');
CREATE DOMAIN country AS CHAR(2) COLLATE "C" CHECK (VALUE ~ '^[A-Z]{2}$');
CREATE DOMAIN status AS TEXT DEFAULT 'new' CHECK (VALUE IN ('new', 'done') AND length(VALUE) BETWEEN 3 AND 4);

CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    email email NOT NULL,
    visits positive_int,
    country country,
    state status
);

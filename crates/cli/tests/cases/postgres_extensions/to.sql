-- As a dump written with --clean has them: a drop first.
DROP EXTENSION IF EXISTS ltree;
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE EXTENSION "uuid-ossp";

CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    shelf LTREE,
    token UUID NOT NULL DEFAULT uuid_generate_v4()
);
CREATE INDEX book_shelf ON book USING gist (shelf);

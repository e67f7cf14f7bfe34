CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'ecstatic');
CREATE TYPE shirt_size AS ENUM ('s', 'm', 'l');

CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    mood mood NOT NULL DEFAULT 'ok',
    shirt shirt_size
);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    score INTEGER
);

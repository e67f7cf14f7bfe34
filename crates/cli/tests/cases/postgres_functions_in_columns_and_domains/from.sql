-- A table with rows; nothing calls a function yet.
CREATE TABLE metric (
    id INTEGER PRIMARY KEY,
    base INTEGER NOT NULL
);

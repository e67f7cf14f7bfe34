-- A table whose every column goes, and a table keyed on it.
CREATE TABLE users (
    id INTEGER PRIMARY KEY
);

CREATE TABLE taggings (
    user_id INTEGER NOT NULL REFERENCES users (id),
    tag VARCHAR(40) NOT NULL
);

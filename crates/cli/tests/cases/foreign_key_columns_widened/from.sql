-- Both sides of a foreign key widen: MySQL refuses to change the type of a column a
-- foreign key uses, so the key goes first and comes back after.
CREATE TABLE users (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(50) NOT NULL
);

CREATE TABLE posts (
    id INTEGER NOT NULL PRIMARY KEY,
    author_id INTEGER NOT NULL,
    title VARCHAR(100) NOT NULL,
    CONSTRAINT posts_author FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE
);

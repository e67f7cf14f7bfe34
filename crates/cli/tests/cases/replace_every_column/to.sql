-- Every column of `users` is replaced: a new one is added before the old ones are
-- dropped (MySQL and SQLite refuse to drop a table's last column), and the
-- downgrade does the same the other way.
CREATE TABLE users (
    user_id INTEGER PRIMARY KEY,
    name VARCHAR(40)
);

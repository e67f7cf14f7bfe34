CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, nickname VARCHAR(50));
CREATE UNIQUE INDEX ix_users_nickname ON users (nickname);

CREATE TABLE base (id integer, name text);
CREATE TABLE child (extra integer) INHERITS (base);
CREATE INDEX child_name ON child (name);

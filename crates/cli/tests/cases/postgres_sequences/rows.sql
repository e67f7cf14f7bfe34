INSERT INTO invoice (note) VALUES ('first'), ('second');
INSERT INTO tally DEFAULT VALUES;

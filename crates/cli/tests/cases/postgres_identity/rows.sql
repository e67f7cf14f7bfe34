INSERT INTO account (name) VALUES ('Ada'), ('Bo');
INSERT INTO tag (id, label) VALUES (7, 'red');
INSERT INTO note (body) VALUES ('first'), ('second');

INSERT INTO item (code, shelf) VALUES ('a', 1), ('b', 2);
INSERT INTO tag (name) VALUES ('red');

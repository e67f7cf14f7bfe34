INSERT INTO shift (id) VALUES (1), (2);

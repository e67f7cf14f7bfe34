INSERT INTO m (id, a, n) VALUES (1, 4, 7), (2, NULL, 8);

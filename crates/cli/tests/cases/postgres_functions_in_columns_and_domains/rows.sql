INSERT INTO metric (id, base) VALUES (1, 3), (2, 5);

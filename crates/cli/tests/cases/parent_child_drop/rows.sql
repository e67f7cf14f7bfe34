INSERT INTO keep VALUES (1), (2), (3);

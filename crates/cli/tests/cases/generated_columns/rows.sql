INSERT INTO item (id, price, qty, name) VALUES (1, 10, 3, 'Ada'), (2, 5, 1, NULL);

INSERT INTO items (id, price, label) VALUES (1, 5, 'a'), (2, 0, 'b');

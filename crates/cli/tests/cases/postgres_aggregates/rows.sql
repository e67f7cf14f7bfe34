INSERT INTO item (id, name, qty) VALUES (1, 'tent', 3), (2, 'lantern', 5), (3, 'rope', 1);

INSERT INTO items (id, price, hits) VALUES (1, 10, 0), (2, 25, 3);
INSERT INTO audit (item_id, note) VALUES (9, 'by hand');

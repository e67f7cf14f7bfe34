INSERT INTO item (id, name, qty) VALUES (1, 'bolt', 10), (2, 'nut', 0);
INSERT INTO item_log (item_id, qty, note) VALUES (7, 3, 'by hand');

INSERT INTO item (id, qty, note) VALUES (1, 3, 'three'), (2, 5, NULL);
INSERT INTO shelf (id) VALUES (1);
INSERT INTO audit (what) VALUES ('seed');

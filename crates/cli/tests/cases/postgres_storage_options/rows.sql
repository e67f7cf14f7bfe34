INSERT INTO orders (id, customer, total, note, tags) VALUES
    (1, 10, 12.50, 'first', ARRAY['a', 'b']),
    (2, 10, NULL, NULL, NULL),
    (3, 11, 3.00, 'third', ARRAY['c']);
INSERT INTO audit (id, what) VALUES (1, 'made');

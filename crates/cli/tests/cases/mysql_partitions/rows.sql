INSERT INTO sales (id, sold, amount) VALUES (1, '2023-03-01', 10), (2, '2024-07-15', 20);
INSERT INTO visits (id, region) VALUES (1, 'eu'), (2, 'us'), (3, 'eu'), (4, 'as');
INSERT INTO logs (id, level) VALUES (1, 1), (2, 3), (3, 4);
INSERT INTO codes (code, n) VALUES ('a', 1), ('b', 2), ('c', 3);
INSERT INTO buckets (id, note) VALUES (1, 'one'), (2, 'two'), (3, 'three');

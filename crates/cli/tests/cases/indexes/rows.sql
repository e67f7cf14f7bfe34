INSERT INTO orders VALUES (1, 10, '2024-01-01', 'open', 9.5), (2, 10, '2024-01-02', 'shipped', 20), (3, 11, '2024-01-03', 'open', 1);

INSERT INTO customers (id, name) VALUES (1, 'Ada'), (2, 'Bob');
INSERT INTO orders (id, customer_id, total) VALUES (1, 1, 50), (2, 1, 2000), (3, 2, 7);

INSERT INTO users VALUES (1, 'a@example.com', 1, 'a'), (2, 'a@example.com', 2, 'b');

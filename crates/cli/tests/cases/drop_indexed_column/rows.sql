INSERT INTO users VALUES (1, 'a@example.com', 'a'), (2, 'b@example.com', NULL);

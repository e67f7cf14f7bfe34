INSERT INTO account (id, email, team) VALUES (1, 'a@example.com', 1), (2, 'b@example.com', NULL);

INSERT INTO accounts VALUES (1, 'new', 10, '2024-01-01 00:00:00'), (2, 'closed', NULL, NULL);

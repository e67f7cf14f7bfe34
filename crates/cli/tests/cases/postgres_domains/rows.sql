INSERT INTO account (id, email, visits, code) VALUES (1, 'ann@example.org', 3, 'x1'), (2, 'bo@example.org', 5, NULL);

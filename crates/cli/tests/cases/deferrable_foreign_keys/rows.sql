INSERT INTO authors VALUES (1, 'Ursula'), (2, 'Terry');
INSERT INTO books VALUES (1, 'The Dispossessed', 1, 2), (2, 'Mort', 2, NULL);

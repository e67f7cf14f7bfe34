INSERT INTO currencies VALUES (1, 'EUR'), (2, 'USD');

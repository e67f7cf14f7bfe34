INSERT INTO invoices (id, status) VALUES (1, 'draft'), (2, 'void'), (3, 'paid');

INSERT INTO book (id, title, isbn) VALUES (1, 'Dune', '978-0-306-40615-7'), (2, 'Emma', NULL);

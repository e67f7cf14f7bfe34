INSERT INTO employees (id, name) VALUES (1, 'Kai Uri'), (2, 'Alena Lee');

INSERT INTO employees VALUES (1, 'Kai Uri'), (2, 'Alena Lee');

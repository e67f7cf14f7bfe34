INSERT INTO employees VALUES (1, 'Kai Uri', 89000), (2, 'Alena Lee', 125000);

INSERT INTO departments VALUES (1, 'Payroll'), (2, 'Human Resources');
INSERT INTO employees VALUES (1, 'Kai Uri', 1, NULL), (2, 'Alena Lee', 2, 1);

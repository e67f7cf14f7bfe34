INSERT INTO departments VALUES (1, 'Payroll', 'Building A', NULL), (2, 'Human Resources', 'Building C', '555-0100');

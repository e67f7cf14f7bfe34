INSERT INTO department (id, name, address) VALUES (1, 'Payroll', 'Building A, 4th Floor'), (2, 'Human Resources', NULL);

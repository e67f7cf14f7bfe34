INSERT INTO department (id, name, address) VALUES (1, 'Payroll', 'Building A, 4th Floor'), (2, 'Human Resources', NULL);
INSERT INTO employees (id, name, department_id) VALUES (1, 'Kai Uri', 1), (2, 'Alena Lee', 2), (3, 'Mo Chen', NULL);

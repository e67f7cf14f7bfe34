INSERT INTO department (id, name, address) VALUES (1, 'Payroll', 'Building A, 4th Floor'), (2, 'Human Resources', NULL);
INSERT INTO employees (id, department_id) VALUES (1, 1), (2, 2), (3, NULL);

INSERT INTO departments (id, name) VALUES (1, 'Payroll'), (2, 'Human Resources');

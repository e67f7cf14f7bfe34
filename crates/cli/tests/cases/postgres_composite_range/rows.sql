INSERT INTO place (id, home, open_hours) VALUES (1, ROW('Main St', 12345), '[1,5)'), (2, NULL, '[9,17)');

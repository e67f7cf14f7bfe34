INSERT INTO herd (id, name, region, born) VALUES (1, 'Gnu', 3, '2021-03-04'), (2, 'Blue', NULL, NULL);

INSERT INTO herd (id, name, tag, born, counted) VALUES (1, 'Gnu', 7, '2021-03-04', '2024-05-06 07:08:09'), (2, 'Blue', NULL, '2022-01-02', NULL);

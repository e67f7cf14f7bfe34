INSERT INTO station (id, level) VALUES (1, -100), (2, 127);

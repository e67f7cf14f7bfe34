INSERT INTO sale (id, region, amount) VALUES (1, 'north', 70), (2, 'north', 50), (3, 'south', 20);

INSERT INTO note (id, title, topic) VALUES (1, 'Grazing', 3), (2, 'Rivers', NULL);
INSERT INTO tally (id, n) VALUES (1, 10), (2, 20);

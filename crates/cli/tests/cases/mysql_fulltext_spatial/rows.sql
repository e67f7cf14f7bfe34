INSERT INTO article (id, title, body) VALUES (1, 'Grazing', 'On the plains'), (2, 'Rivers', NULL);
INSERT INTO place (id, name, spot) VALUES (1, 'Mara', ST_GeomFromText('POINT(35 -1.5)'));

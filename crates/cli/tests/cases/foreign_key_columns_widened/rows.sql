INSERT INTO users (id, name) VALUES (1, 'Ann'), (2, 'Bo');
INSERT INTO posts (id, author_id, title) VALUES (1, 1, 'Hello'), (2, 2, 'Again'), (3, 1, 'More');

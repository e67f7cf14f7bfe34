INSERT INTO author (id, name, country) VALUES (1, 'Ada', 'GB'), (2, 'Bo', 'SE');
INSERT INTO book (id, author_id, title) VALUES (1, 1, 'Notes'), (2, 2, 'Songs');

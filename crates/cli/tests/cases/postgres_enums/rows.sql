INSERT INTO person (id, name, mood) VALUES (1, 'Ada', 'happy'), (2, 'Bo', 'sad');

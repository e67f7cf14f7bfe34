INSERT INTO customer (id, name, mood, credit) VALUES (1, 'Ada', 'ok', 5), (2, 'Bo', 'sad', NULL);

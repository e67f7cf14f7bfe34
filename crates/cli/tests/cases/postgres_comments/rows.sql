INSERT INTO customer (id, name, region) VALUES (1, 'Ada', 'north'), (2, 'Bo', NULL);
INSERT INTO legacy (id, note) VALUES (1, 'old');

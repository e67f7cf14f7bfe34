INSERT INTO event (id, payload) VALUES (1, '{"a": 1}'), (2, '[1, 2]');

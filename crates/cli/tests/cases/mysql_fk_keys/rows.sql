INSERT INTO a (id) VALUES (1), (2);
INSERT INTO b (id, a_id, other_id) VALUES (1, 1, 2), (2, 2, NULL);

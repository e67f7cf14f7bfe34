INSERT INTO t (id) VALUES (1), (2);

INSERT INTO accounts (id, name, balance) VALUES (1, 'Ada', 10), (2, 'Bob', 0);
INSERT INTO audit (account_id, note) VALUES (9, 'by hand');
INSERT INTO old_log (x) VALUES (1);

INSERT INTO customer (id, email, name, code, notes) VALUES (1, 'a@example.com', 'Ann', 'A0000001', 'first'), (2, 'B@example.com', 'Bo', 'B0000002', NULL);
INSERT INTO legacy (id, label) VALUES (1, 'old'), (2, 'older');
INSERT INTO plain (id, title) VALUES (1, 'One');

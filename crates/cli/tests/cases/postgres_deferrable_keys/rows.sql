INSERT INTO seat (id, row_no, place) VALUES (1, 1, 1), (2, 1, 2);
INSERT INTO ticket (code, seat) VALUES ('A1', 1), ('A2', 2);

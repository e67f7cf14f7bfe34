INSERT INTO tickets (at, stamped, flags, tags, grid) VALUES ('10:00+02', '2026-01-01 10:00:00.123+00', B'101', '{a,b}', '{{1,2},{3,4}}');
INSERT INTO tickets (at) VALUES (NULL);

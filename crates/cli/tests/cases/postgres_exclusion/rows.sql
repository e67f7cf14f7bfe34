INSERT INTO room (id, floor) VALUES (1, 0), (2, 3);
INSERT INTO booking (id, room_id, during, seats, note) VALUES
    (1, 1, '[2026-01-01 09:00+00,2026-01-01 10:00+00)', '[1,5)', NULL),
    (2, 1, '[2026-01-01 10:00+00,2026-01-01 11:00+00)', '[5,9)', 'standup'),
    (3, 2, '[2026-01-01 09:00+00,2026-01-01 10:00+00)', '[1,5)', NULL);
INSERT INTO desk (id, code) VALUES (1, 'A1'), (2, 'B2');

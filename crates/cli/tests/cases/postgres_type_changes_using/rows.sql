INSERT INTO readings (id, label, amount, taken, active, flag, payload, "Ref Id", at_time) VALUES
    (1, 'first', '12', '2026-01-02', 'true', 1, '{"a": 1}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', NULL),
    (2, 'second', '-7', '1999-12-31', 'false', 0, '[1, 2]', NULL, NULL),
    (3, 'third', NULL, NULL, NULL, NULL, NULL, NULL, NULL);

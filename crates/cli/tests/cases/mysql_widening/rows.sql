INSERT INTO post (state, body, views, level) VALUES ('live', 'hello', 4000000000, -3), ('draft', NULL, 0, 100);

INSERT INTO post_meta (id, post_id, meta_key, meta_value) VALUES (1, 1, 'colour', 'dun'), (2, 1, 'size', 'large'), (3, 2, 'colour', NULL);

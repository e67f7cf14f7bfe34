INSERT INTO members VALUES (1, '{viewer,editor}', 'editor', '{new,old}'), (2, '{}', NULL, NULL);

INSERT INTO events (id, happened, kind) VALUES (1, '2024-03-01', 'login'), (2, '2025-06-30', 'logout'), (3, '2030-01-01', 'misc');
INSERT INTO tags (name) VALUES ('red'), ('green'), ('blue');

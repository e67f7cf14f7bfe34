INSERT INTO doc (id, owner, shared) VALUES (1, 'alice', true), (2, 'bob', false);
INSERT INTO note (id, body) VALUES (1, 'hello');

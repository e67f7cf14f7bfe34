INSERT INTO memberships VALUES (1, 1, 'owner'), (2, 1, 'member');

CREATE TABLE memberships (user_id INTEGER NOT NULL, group_id INTEGER NOT NULL, role VARCHAR(20), PRIMARY KEY (user_id));

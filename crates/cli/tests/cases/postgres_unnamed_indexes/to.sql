-- Indexes without names take the names PostgreSQL gives them: after their columns
-- or functions, numbered past a name that is taken (`account_team_idx` twice, and
-- `account_email_idx`, a table's name here).
CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    team INTEGER
);

CREATE TABLE account_email_idx (id INTEGER PRIMARY KEY);

CREATE INDEX ON account (team);
CREATE INDEX ON account (team) WHERE team IS NOT NULL;
CREATE UNIQUE INDEX ON account (lower(email));
CREATE INDEX ON account (email);

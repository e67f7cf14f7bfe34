-- One index without a name already.
CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    team INTEGER
);

CREATE INDEX ON account (team);

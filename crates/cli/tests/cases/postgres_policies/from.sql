-- `doc` has row-level security with two policies; `note` enables it too. In `to`,
-- `owner_reads` reads another column, `public_read` goes, a restrictive policy
-- for updates comes, `doc` is forced, and `note` no longer enables it.
CREATE TABLE doc (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    shared BOOLEAN NOT NULL DEFAULT false
);
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
CREATE POLICY owner_reads ON doc FOR SELECT USING (owner = current_user);
CREATE POLICY public_read ON doc AS PERMISSIVE FOR SELECT TO PUBLIC USING (shared);

CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT);
ALTER TABLE note ENABLE ROW LEVEL SECURITY;

-- A column on the partitioned table reaches every partition; a partition moves to a
-- wider bound, one goes, one comes, one gains an index of its own.
CREATE TABLE events (
    id INTEGER NOT NULL,
    happened DATE NOT NULL,
    kind TEXT NOT NULL DEFAULT 'misc',
    note TEXT,
    PRIMARY KEY (id, happened),
    CHECK (id > 0)
) PARTITION BY RANGE (happened);
CREATE INDEX events_kind ON events (kind);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX events_2024_id ON events_2024 (id);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2027-01-01');
CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE TABLE events_other PARTITION OF events (CHECK (id < 1000000)) DEFAULT;

CREATE TABLE tags (
    name TEXT PRIMARY KEY
) PARTITION BY HASH (name);
CREATE TABLE tags_0 PARTITION OF tags FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE tags_1 PARTITION OF tags FOR VALUES WITH (MODULUS 2, REMAINDER 1);

-- A new table partitioned by list on an expression, with a foreign key.
CREATE TABLE labels (
    code TEXT NOT NULL,
    tag TEXT REFERENCES tags (name)
) PARTITION BY LIST (lower(code));
CREATE TABLE labels_ab PARTITION OF labels FOR VALUES IN ('a', 'b');
CREATE TABLE labels_rest PARTITION OF labels DEFAULT;

-- Events by year, in range partitions, with a default partition of their own check.
CREATE TABLE events (
    id INTEGER NOT NULL,
    happened DATE NOT NULL,
    kind TEXT NOT NULL DEFAULT 'misc',
    PRIMARY KEY (id, happened),
    CHECK (id > 0)
) PARTITION BY RANGE (happened);
CREATE INDEX events_kind ON events (kind);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_early PARTITION OF events FOR VALUES FROM (MINVALUE) TO ('2010-01-01');
CREATE TABLE events_other PARTITION OF events (CHECK (id < 1000000)) DEFAULT;

-- Tags spread by hash.
CREATE TABLE tags (
    name TEXT PRIMARY KEY
) PARTITION BY HASH (name);
CREATE TABLE tags_0 PARTITION OF tags FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE tags_1 PARTITION OF tags FOR VALUES WITH (MODULUS 2, REMAINDER 1);

-- The expression of `total` changes, `doubled` goes, `lowered` comes, and a new
-- table has a generated column from the start.
CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    price INTEGER NOT NULL,
    qty INTEGER NOT NULL,
    name VARCHAR(40),
    total INTEGER GENERATED ALWAYS AS (price * qty + 1) STORED,
    lowered VARCHAR(40) GENERATED ALWAYS AS (lower(name)) STORED
);

-- An index on a column made again is dropped before it and made again after it.
CREATE INDEX item_total ON item (total);

CREATE TABLE receipt (
    id INTEGER PRIMARY KEY,
    amount INTEGER,
    tax INTEGER GENERATED ALWAYS AS (amount / 5) STORED
);

CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    price INTEGER NOT NULL,
    qty INTEGER NOT NULL,
    name VARCHAR(40),
    total INTEGER GENERATED ALWAYS AS (price * qty) STORED,
    doubled INTEGER GENERATED ALWAYS AS (price * 2) STORED
);

CREATE INDEX item_total ON item (total);

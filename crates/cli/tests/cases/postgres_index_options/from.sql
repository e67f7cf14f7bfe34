CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer INTEGER NOT NULL,
    total NUMERIC(10, 2),
    note TEXT,
    tags TEXT[]
);
CREATE INDEX orders_customer ON orders (customer) INCLUDE (total);
CREATE INDEX orders_note ON orders (note) WITH (fillfactor = 70);
CREATE INDEX orders_tags ON orders USING gin (tags) WITH (fastupdate = off);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer INTEGER NOT NULL,
    total NUMERIC(10, 2),
    note TEXT,
    tags TEXT[]
);
CREATE INDEX orders_customer ON orders (customer) INCLUDE (total, note);
CREATE INDEX orders_note ON orders (note) WITH (fillfactor = 90, deduplicate_items = off);
CREATE INDEX orders_tags ON orders USING gin (tags);
CREATE UNIQUE INDEX orders_id_covering ON orders (id) INCLUDE (customer) WITH (fillfactor = '80');

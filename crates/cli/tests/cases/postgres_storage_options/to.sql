CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer INTEGER NOT NULL,
    total NUMERIC(10, 2),
    note TEXT,
    tags TEXT[]
) WITH (fillfactor = 80, toast_tuple_target = 512);
CREATE INDEX orders_customer ON orders (customer) INCLUDE (total, note);
CREATE INDEX orders_note ON orders (note) WITH (fillfactor = 90, deduplicate_items = off);
CREATE INDEX orders_tags ON orders USING gin (tags);
CREATE UNIQUE INDEX orders_id_covering ON orders (id) INCLUDE (customer) WITH (fillfactor = '80');
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    what TEXT
);
CREATE TABLE ledger (
    id INTEGER PRIMARY KEY,
    amount NUMERIC(10, 2)
) WITH (fillfactor = 60);

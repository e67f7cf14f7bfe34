CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer INTEGER NOT NULL,
    total NUMERIC(10, 2),
    note TEXT,
    tags TEXT[]
) WITH (fillfactor = 90, autovacuum_enabled = off);
CREATE INDEX orders_customer ON orders (customer) INCLUDE (total);
CREATE INDEX orders_note ON orders (note) WITH (fillfactor = 70);
CREATE INDEX orders_tags ON orders USING gin (tags) WITH (fastupdate = off);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    what TEXT
) WITH (toast_tuple_target = 256);

CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, placed_at TIMESTAMP NOT NULL, status VARCHAR(20), total NUMERIC(10, 2));
CREATE INDEX ix_orders_customer_placed ON orders (customer_id, placed_at DESC);
CREATE UNIQUE INDEX ix_orders_one_open ON orders (customer_id) WHERE status = 'open';
CREATE INDEX ix_orders_placed ON orders (placed_at, status);
CREATE INDEX ix_orders_lower_status ON orders (lower(status));

CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, placed_at TIMESTAMP NOT NULL, status VARCHAR(20), total NUMERIC(10, 2));
CREATE INDEX ix_orders_status ON orders (status);
CREATE INDEX ix_orders_placed ON orders (placed_at);

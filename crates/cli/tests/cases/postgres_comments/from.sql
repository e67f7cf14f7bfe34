CREATE TABLE customer (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    region TEXT
);
COMMENT ON TABLE customer IS 'People who buy';
COMMENT ON COLUMN customer.name IS 'As printed on invoices';
COMMENT ON COLUMN customer.region IS 'Sales region';

CREATE TABLE legacy (
    id INTEGER PRIMARY KEY,
    note TEXT
);
COMMENT ON TABLE legacy IS 'Kept for the old reports';
COMMENT ON COLUMN legacy.note IS 'Free text';

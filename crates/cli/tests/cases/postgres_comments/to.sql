CREATE TABLE customer (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    region TEXT,
    vip BOOLEAN NOT NULL DEFAULT false
);
COMMENT ON TABLE public.customer IS 'People who buy; it''s "customer", not client';
COMMENT ON COLUMN customer.name IS 'As printed on invoices';
COMMENT ON COLUMN customer.vip IS 'Gets the 5 % rebate — é';

CREATE TABLE supplier (
    id INTEGER PRIMARY KEY,
    name TEXT
);
COMMENT ON TABLE supplier IS 'Who we buy from';
COMMENT ON COLUMN supplier.name IS '';

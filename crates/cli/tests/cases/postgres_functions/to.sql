-- `label_of(integer)` gets another body (replaced in place), `label_of(text)` and
-- `old_total` go, `stock_of` returns a bigint (dropped and made again), a new
-- function fills a new column's default, a procedure and a view that calls a
-- function come.
CREATE FUNCTION is_positive(x integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT x > 0; $$;

CREATE OR REPLACE FUNCTION label_of(id integer) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    -- a semicolon; and a $ inside the body
    RETURN 'item #' || id || ' $';
END;
$$;

CREATE FUNCTION stock_of(item_id integer) RETURNS bigint
    LANGUAGE sql STABLE AS $$ SELECT qty::bigint FROM item WHERE id = item_id $$;

CREATE FUNCTION new_code() RETURNS text
    LANGUAGE sql VOLATILE AS $q$ SELECT 'c-' || md5(random()::text) $q$;

CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    qty INTEGER NOT NULL CHECK (is_positive(qty)),
    note TEXT,
    code TEXT NOT NULL DEFAULT new_code()
);

CREATE PROCEDURE restock(item_id integer, n integer)
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE item SET qty = qty + n WHERE id = item_id;
END
$$;

CREATE FUNCTION total_qty() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT sum(qty) FROM item $$;

CREATE VIEW totals AS SELECT total_qty() AS total;

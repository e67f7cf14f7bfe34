-- A check calls `is_positive`; `label_of` has two overloads; `stock_of` changes its
-- return type and `old_total` goes.
CREATE FUNCTION is_positive(x integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT x > 0; $$;

CREATE FUNCTION label_of(id integer) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN 'item-' || id;
END;
$$;

CREATE FUNCTION label_of(name text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT 'named-' || name $$;

CREATE FUNCTION stock_of(item_id integer) RETURNS integer
    LANGUAGE sql STABLE AS $$ SELECT qty FROM item WHERE id = item_id $$;

CREATE FUNCTION old_total() RETURNS bigint LANGUAGE sql AS $$ SELECT 0::bigint $$;

CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    qty INTEGER NOT NULL CHECK (is_positive(qty)),
    note TEXT
);

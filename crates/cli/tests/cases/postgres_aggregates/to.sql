-- `group_concat` gets a final function (it is dropped and made again, and so is the
-- view that calls it), `qty_total` starts from 100 (replaced in place), `row_tally`
-- goes, and `longest` comes with a support function whose name sorts after it.
CREATE FUNCTION _group_concat(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
SELECT CASE
    WHEN $2 IS NULL THEN $1
    WHEN $1 IS NULL THEN $2
    ELSE $1 || ', ' || $2
END
$$;

CREATE AGGREGATE group_concat(text) (
    SFUNC = _group_concat,
    STYPE = text,
    FINALFUNC = upper
);

CREATE AGGREGATE qty_total (BASETYPE = int4, SFUNC = int4pl, STYPE = int4, INITCOND = '100');

CREATE FUNCTION zz_longer(a text, b text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN length(b) > length(coalesce(a, '')) THEN b ELSE a END $$;

CREATE AGGREGATE longest(text) (SFUNC = zz_longer, STYPE = text, PARALLEL = SAFE);

CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    qty INTEGER NOT NULL
);

CREATE VIEW item_names AS SELECT group_concat(name) AS names FROM item;

CREATE VIEW item_stats AS SELECT longest(name) AS longest, qty_total(qty) AS total FROM item;

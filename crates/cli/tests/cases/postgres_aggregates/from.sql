-- `group_concat` joins names with a support function, as the DVD rental sample
-- does, and a view calls it; `qty_total` is written in the old form (`BASETYPE`);
-- `row_tally(*)` counts rows and goes.
CREATE FUNCTION _group_concat(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
SELECT CASE
    WHEN $2 IS NULL THEN $1
    WHEN $1 IS NULL THEN $2
    ELSE $1 || ', ' || $2
END
$$;

CREATE AGGREGATE group_concat(text) (SFUNC = _group_concat, STYPE = text);

CREATE AGGREGATE qty_total (BASETYPE = int4, SFUNC = int4pl, STYPE = int4, INITCOND = '0');

CREATE AGGREGATE row_tally(*) (SFUNC = int8inc, STYPE = int8, INITCOND = 0);

CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    qty INTEGER NOT NULL
);

CREATE VIEW item_names AS SELECT group_concat(name) AS names FROM item;

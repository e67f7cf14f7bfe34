-- An attribute added last, with a collation of its own.
CREATE TYPE address AS (street TEXT, zip INTEGER, city TEXT COLLATE "C");
CREATE TYPE int_span AS RANGE (SUBTYPE = INTEGER);
-- A composite type over a range type made with it, and a column of an array of it.
CREATE TYPE price_band AS RANGE (SUBTYPE = DOUBLE PRECISION, SUBTYPE_DIFF = float8mi, MULTIRANGE_TYPE_NAME = price_bands);
CREATE TYPE offer AS (label VARCHAR(20), band price_band);

CREATE TABLE place (
    id INTEGER PRIMARY KEY,
    home address,
    open_hours int_span,
    offers offer[]
);

CREATE TYPE address AS (street TEXT, zip INTEGER);
CREATE TYPE int_span AS RANGE (SUBTYPE = INTEGER);

CREATE TABLE place (
    id INTEGER PRIMARY KEY,
    home address,
    open_hours int_span
);

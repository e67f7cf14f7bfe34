CREATE FUNCTION time_subtype_diff(x time, y time) RETURNS float8
    LANGUAGE sql STRICT IMMUTABLE
    AS 'SELECT EXTRACT(EPOCH FROM (x - y))';
CREATE TYPE timerange AS RANGE (SUBTYPE = time, SUBTYPE_DIFF = time_subtype_diff);

CREATE TABLE shift (id INTEGER PRIMARY KEY, hours timerange);

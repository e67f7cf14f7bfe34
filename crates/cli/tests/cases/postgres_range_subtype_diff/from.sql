-- A range type whose `SUBTYPE_DIFF` is a function of the schema: in `to`, the
-- function comes first, then the range type, then the table using it; the downgrade
-- drops them the other way round.
CREATE TABLE shift (id INTEGER PRIMARY KEY);

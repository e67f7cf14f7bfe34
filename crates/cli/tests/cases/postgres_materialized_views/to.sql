-- The amount changes type: the materialized view reading it (and the view reading
-- that) are dropped before and made again after, in the same revision.
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    amount BIGINT NOT NULL
);

-- As pg_dump writes it (but for the schema): `WITH NO DATA` says when it is filled,
-- not what it is.
CREATE MATERIALIZED VIEW region_totals AS
 SELECT region,
    sum(amount) AS total
   FROM sale
  GROUP BY region
  WITH NO DATA;
-- A changed query: no CREATE OR REPLACE for a materialized view.
CREATE MATERIALIZED VIEW counts AS SELECT count(*) AS n, max(amount) AS top FROM sale;
CREATE VIEW top_regions AS SELECT region FROM region_totals WHERE total > 100;

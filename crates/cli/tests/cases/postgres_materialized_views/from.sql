CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    amount INTEGER NOT NULL
);

CREATE MATERIALIZED VIEW region_totals AS
    SELECT region, sum(amount) AS total FROM sale GROUP BY region;
CREATE MATERIALIZED VIEW old_report AS SELECT count(*) AS n FROM sale;
-- A plain view reading a materialized one.
CREATE VIEW top_regions AS SELECT region FROM region_totals WHERE total > 100;

CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    amount INTEGER NOT NULL
);

-- The query changes: the view is made again, with its indexes and their comments.
CREATE MATERIALIZED VIEW region_totals AS
    SELECT region, sum(amount) AS total, count(*) AS sales FROM sale GROUP BY region;
CREATE UNIQUE INDEX region_totals_region ON region_totals (region);
CREATE INDEX region_totals_total ON region_totals (total DESC);
COMMENT ON INDEX region_totals_total IS 'Biggest first';

-- The view stays: one index changes, one goes, one comes.
CREATE MATERIALIZED VIEW sale_days AS SELECT id, amount FROM sale;
CREATE INDEX sale_days_amount ON sale_days (amount) WHERE amount > 0;
CREATE UNIQUE INDEX sale_days_id ON sale_days (id);

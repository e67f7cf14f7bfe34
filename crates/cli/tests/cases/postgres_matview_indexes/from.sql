CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    amount INTEGER NOT NULL
);

CREATE MATERIALIZED VIEW region_totals AS
    SELECT region, sum(amount) AS total FROM sale GROUP BY region;
-- Unique, as REFRESH MATERIALIZED VIEW CONCURRENTLY needs.
CREATE UNIQUE INDEX region_totals_region ON region_totals (region);
CREATE INDEX region_totals_total ON region_totals (total);
COMMENT ON INDEX region_totals_total IS 'Biggest first';

CREATE MATERIALIZED VIEW sale_days AS SELECT id, amount FROM sale;
CREATE INDEX sale_days_amount ON sale_days (amount);
CREATE INDEX sale_days_gone ON sale_days (id);

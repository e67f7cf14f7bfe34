CREATE TABLE orders (
    id integer PRIMARY KEY,
    note text
);
CREATE FUNCTION total(n integer) RETURNS integer LANGUAGE sql AS $$ SELECT n $$;
ALTER TABLE ONLY public.orders ALTER COLUMN note SET STATISTICS 500;

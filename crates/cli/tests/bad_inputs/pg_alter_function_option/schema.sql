CREATE TABLE orders (
    id integer PRIMARY KEY,
    note text
);
CREATE FUNCTION total(n integer) RETURNS integer LANGUAGE sql AS $$ SELECT n $$;
ALTER FUNCTION public.total(integer) STABLE;

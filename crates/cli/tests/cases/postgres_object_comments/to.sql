CREATE TYPE mood AS ENUM ('sad', 'ok');
-- A changed comment.
COMMENT ON TYPE mood IS 'How a customer feels today';
-- A comment taken away (`IS NULL` says there is none).
CREATE DOMAIN positive AS INTEGER CONSTRAINT positive_check CHECK (VALUE > 0);
COMMENT ON DOMAIN positive IS NULL;
COMMENT ON CONSTRAINT positive_check ON DOMAIN positive IS 'Zero is not positive';
CREATE SEQUENCE ticket_no;
COMMENT ON SEQUENCE ticket_no IS 'Numbers tickets';

-- The check changes: dropped and added, its comment given again.
CREATE TABLE customer (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    mood mood,
    credit positive,
    CONSTRAINT name_not_blank CHECK (length(name) > 0)
);
COMMENT ON CONSTRAINT name_not_blank ON public.customer IS 'A name is needed';
CREATE INDEX customer_name ON customer (name);
COMMENT ON INDEX customer_name IS 'Lookups by name, it''s fast';

-- The body changes (replaced in place, the comment stays); the procedure goes.
CREATE FUNCTION shout(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$ SELECT upper(t) || '!' $$;
COMMENT ON FUNCTION shout IS 'Upper case';
CREATE FUNCTION trim_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.name := trim(NEW.name);
    RETURN NEW;
END
$$;
CREATE TRIGGER customer_trim BEFORE INSERT ON customer FOR EACH ROW EXECUTE FUNCTION trim_name();
COMMENT ON TRIGGER customer_trim ON customer IS 'Trims names';
CREATE POLICY everyone ON customer USING (true);

-- A column before the others: the view is dropped and made again, with its comments.
CREATE VIEW customer_names AS SELECT mood, id, name FROM customer;
COMMENT ON VIEW customer_names IS 'Names only';
COMMENT ON COLUMN customer_names.name IS 'As printed';
-- A changed query: made again, with its comments.
CREATE MATERIALIZED VIEW customer_count AS SELECT count(*) AS n FROM customer WHERE mood = 'ok';
COMMENT ON MATERIALIZED VIEW customer_count IS 'Refreshed nightly';
COMMENT ON COLUMN customer_count.n IS 'How many';
COMMENT ON SCHEMA public IS 'The shop, since 2020';

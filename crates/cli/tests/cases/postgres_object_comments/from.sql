CREATE TYPE mood AS ENUM ('sad', 'ok');
COMMENT ON TYPE mood IS 'How a customer feels';
CREATE DOMAIN positive AS INTEGER CONSTRAINT positive_check CHECK (VALUE > 0);
COMMENT ON DOMAIN positive IS 'Greater than zero';
COMMENT ON CONSTRAINT positive_check ON DOMAIN positive IS 'Zero is not positive';
CREATE SEQUENCE ticket_no;
COMMENT ON SEQUENCE ticket_no IS 'Numbers tickets';

CREATE TABLE customer (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    mood mood,
    credit positive,
    CONSTRAINT name_not_blank CHECK (name <> '')
);
COMMENT ON CONSTRAINT name_not_blank ON customer IS 'A name is needed';
CREATE INDEX customer_name ON customer (name);
COMMENT ON INDEX customer_name IS 'Lookups by name';

CREATE FUNCTION shout(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$ SELECT upper(t) $$;
COMMENT ON FUNCTION shout(TEXT) IS 'Upper case';
CREATE PROCEDURE tidy() LANGUAGE sql AS $$ DELETE FROM customer WHERE name = '' $$;
COMMENT ON PROCEDURE tidy() IS 'Removes blanks';
CREATE FUNCTION trim_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.name := trim(NEW.name);
    RETURN NEW;
END
$$;
CREATE TRIGGER customer_trim BEFORE INSERT ON customer FOR EACH ROW EXECUTE FUNCTION trim_name();
COMMENT ON TRIGGER customer_trim ON customer IS 'Trims names';
CREATE POLICY everyone ON customer USING (true);
COMMENT ON POLICY everyone ON customer IS 'Everyone for now';

CREATE VIEW customer_names AS SELECT id, name FROM customer;
COMMENT ON VIEW customer_names IS 'Names only';
COMMENT ON COLUMN customer_names.name IS 'As printed';
CREATE MATERIALIZED VIEW customer_count AS SELECT count(*) AS n FROM customer;
COMMENT ON MATERIALIZED VIEW customer_count IS 'Refreshed nightly';
COMMENT ON COLUMN customer_count.n IS 'How many';
COMMENT ON SCHEMA public IS 'The shop';

-- A generated column calls `doubled`, a domain's check calls `is_email` and a
-- column takes the domain: each function is made before what calls it, and the
-- downgrade drops the callers first.
CREATE FUNCTION doubled(n integer) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN n * 2; END; $$;

CREATE FUNCTION is_email(s text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN s LIKE '%@%'; END; $$;

CREATE DOMAIN email AS text CHECK (is_email(VALUE));

CREATE TABLE metric (
    id INTEGER PRIMARY KEY,
    base INTEGER NOT NULL,
    twice INTEGER GENERATED ALWAYS AS (doubled(base)) STORED,
    contact email
);

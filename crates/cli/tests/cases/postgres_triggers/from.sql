-- `touch` sets `updated_at` on both tables (one trigger name, two tables);
-- `audit_qty` fires only when `qty` changes; `old_guard` goes; `quiet` is disabled
-- and becomes enabled; `note` changes type under a trigger whose WHEN reads it.
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit (what) VALUES (TG_ARGV[0] || ':' || TG_OP);
    RETURN NULL;
END;
$$;

CREATE FUNCTION guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END;
$$;

CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    qty INTEGER NOT NULL,
    note VARCHAR(20),
    updated_at TIMESTAMPTZ
);

CREATE TABLE shelf (
    id INTEGER PRIMARY KEY,
    updated_at TIMESTAMPTZ
);

CREATE TABLE audit (
    id SERIAL PRIMARY KEY,
    what TEXT NOT NULL
);

CREATE TRIGGER touch BEFORE UPDATE ON item FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER touch BEFORE UPDATE ON shelf FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER audit_qty AFTER UPDATE OF qty ON item
    FOR EACH ROW WHEN (OLD.qty IS DISTINCT FROM NEW.qty) EXECUTE FUNCTION log_change('qty');
CREATE TRIGGER old_guard BEFORE INSERT ON item FOR EACH ROW EXECUTE PROCEDURE guard();
CREATE TRIGGER quiet AFTER INSERT ON shelf FOR EACH STATEMENT EXECUTE FUNCTION log_change('shelf');
ALTER TABLE shelf DISABLE TRIGGER quiet;
CREATE TRIGGER noted AFTER UPDATE ON item
    FOR EACH ROW WHEN (OLD.note IS DISTINCT FROM NEW.note) EXECUTE FUNCTION log_change('note');

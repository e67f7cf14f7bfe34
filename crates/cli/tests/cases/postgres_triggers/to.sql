-- `guard` and its trigger go; `quiet` fires again; `audit_qty` passes another
-- argument; `note` is text now, and `noted` (whose WHEN reads it) is made again
-- around the change; a constraint trigger and a replica trigger come.
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

CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    qty INTEGER NOT NULL,
    note TEXT,
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
    FOR EACH ROW WHEN (OLD.qty IS DISTINCT FROM NEW.qty) EXECUTE FUNCTION log_change('quantity');
CREATE TRIGGER quiet AFTER INSERT ON shelf FOR EACH STATEMENT EXECUTE FUNCTION log_change('shelf');
CREATE TRIGGER noted AFTER UPDATE ON item
    FOR EACH ROW WHEN (OLD.note IS DISTINCT FROM NEW.note) EXECUTE FUNCTION log_change('note');
CREATE CONSTRAINT TRIGGER checked AFTER INSERT OR UPDATE ON item
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_change('checked');
CREATE TRIGGER mirrored AFTER DELETE ON item FOR EACH ROW EXECUTE FUNCTION log_change('mirror');
ALTER TABLE item ENABLE REPLICA TRIGGER mirrored;

CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    qty BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE item_log (item_id INTEGER NOT NULL, qty BIGINT, note TEXT);
CREATE VIEW item_names AS SELECT id, name FROM item;

CREATE RULE log_insert AS ON INSERT TO item
    DO ALSO INSERT INTO item_log (item_id, qty, note) VALUES (NEW.id, NEW.qty, 'added: ' || NEW.name);
CREATE RULE touch AS ON UPDATE TO item
    DO ALSO (UPDATE item_log SET note = 'changed' WHERE item_id = OLD.id; NOTIFY item_log);
CREATE RULE keep_stocked AS ON DELETE TO item WHERE OLD.qty > 0 DO INSTEAD NOTHING;

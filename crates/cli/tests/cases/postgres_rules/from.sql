-- `item` logs its inserts and updates through rules, and a rule writes through the
-- view `item_names`. In `to`, `item.qty` and `item_log.qty` widen (the log rule
-- names them: dropped before, made again after), the log rule records a note too,
-- a conditional `DO INSTEAD NOTHING` rule comes, and the view's rule goes.
CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    qty INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE item_log (item_id INTEGER NOT NULL, qty INTEGER, note TEXT);
CREATE VIEW item_names AS SELECT id, name FROM item;

CREATE RULE log_insert AS ON INSERT TO item
    DO ALSO INSERT INTO item_log (item_id, qty) VALUES (NEW.id, NEW.qty);
CREATE RULE touch AS ON UPDATE TO item
    DO ALSO (UPDATE item_log SET note = 'changed' WHERE item_id = OLD.id; NOTIFY item_log);
CREATE RULE item_names_insert AS ON INSERT TO item_names
    DO INSTEAD INSERT INTO item (id, name) VALUES (NEW.id, NEW.name);

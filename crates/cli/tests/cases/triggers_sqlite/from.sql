CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    balance INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE audit (
    account_id INTEGER,
    note TEXT
);

CREATE TABLE old_log (
    x INTEGER
);

CREATE TRIGGER accounts_audit AFTER UPDATE OF balance ON accounts
BEGIN
    INSERT INTO audit (account_id, note) VALUES (new.id, 'balance');
END;

CREATE TRIGGER accounts_name AFTER INSERT ON accounts
BEGIN
    INSERT INTO audit VALUES (new.id, new.name);
END;

CREATE TRIGGER old_log_insert AFTER INSERT ON old_log BEGIN SELECT 1; END;

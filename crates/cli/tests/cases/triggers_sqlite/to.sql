CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    balance INTEGER DEFAULT 0
);

CREATE TABLE audit (
    account_id INTEGER,
    note TEXT
);

-- The same trigger written otherwise: no change.
create trigger accounts_audit after update of balance on accounts
begin
    insert into audit (account_id, note) values (NEW.id, 'balance');
end;

CREATE TRIGGER accounts_name AFTER INSERT ON accounts
BEGIN
    INSERT INTO audit VALUES (new.id, 'created: ' || new.name);
END;

CREATE TRIGGER audit_kept BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit rows stay');
END;

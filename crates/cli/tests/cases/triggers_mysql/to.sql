CREATE TABLE accounts (
    id INT PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    balance BIGINT NOT NULL DEFAULT 0,
    shout VARCHAR(50)
);

CREATE TABLE audit (
    account_id INT,
    note VARCHAR(100)
);

CREATE TRIGGER accounts_shout BEFORE INSERT ON accounts FOR EACH ROW SET NEW.shout = UPPER(TRIM(NEW.name));

-- The same trigger written otherwise: no change.
create trigger accounts_audit after update on accounts for each row
begin
    if new.balance <> old.balance then
        insert into audit values (new.id, 'balance');
    end if;
end;

CREATE TRIGGER audit_kept BEFORE DELETE ON audit FOR EACH ROW SET @kept = 1;

CREATE TABLE items (
    id INT PRIMARY KEY,
    price INT NOT NULL,
    hits INT NOT NULL DEFAULT 0
);

CREATE TABLE audit (
    item_id INT,
    note VARCHAR(40)
);

-- Another body: dropped and made again, with the view that calls it.
CREATE FUNCTION with_tax(p INT) RETURNS INT DETERMINISTIC RETURN p * 3;

-- The same function written otherwise: no change.
create function label(n int) returns varchar(20) deterministic
begin
    if n > 10 then
        return 'many';
    end if;
    return 'few';
end;

CREATE PROCEDURE hit(IN k INT)
    MODIFIES SQL DATA
BEGIN
    UPDATE audit SET note = 'seen' WHERE item_id = k;
    INSERT INTO audit VALUES (k, 'hit');
END;

-- A function and a procedure may share a name.
CREATE PROCEDURE label(IN n INT) NO SQL SELECT n;

CREATE VIEW priced AS SELECT id, with_tax(price) AS total FROM items;

CREATE TRIGGER items_hit AFTER INSERT ON items FOR EACH ROW CALL hit(NEW.id);

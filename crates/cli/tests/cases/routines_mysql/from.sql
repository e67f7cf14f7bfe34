CREATE TABLE items (
    id INT PRIMARY KEY,
    price INT NOT NULL,
    hits INT NOT NULL DEFAULT 0
);

CREATE TABLE audit (
    item_id INT,
    note VARCHAR(40)
);

CREATE FUNCTION with_tax(p INT) RETURNS INT DETERMINISTIC RETURN p * 2;

CREATE FUNCTION label(n INT) RETURNS VARCHAR(20) DETERMINISTIC
BEGIN
    IF n > 10 THEN
        RETURN 'many';
    END IF;
    RETURN 'few';
END;

CREATE PROCEDURE hit(IN k INT)
    MODIFIES SQL DATA
BEGIN
    UPDATE audit SET note = 'seen' WHERE item_id = k;
    INSERT INTO audit VALUES (k, 'hit');
END;

CREATE PROCEDURE old_report() READS SQL DATA SELECT COUNT(*) FROM items;

CREATE VIEW priced AS SELECT id, with_tax(price) AS total FROM items;

CREATE TRIGGER items_hit AFTER INSERT ON items FOR EACH ROW CALL hit(NEW.id);

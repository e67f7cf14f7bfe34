CREATE TABLE accounts (
    id INT PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    balance INT NOT NULL DEFAULT 0,
    shout VARCHAR(50)
);

CREATE TABLE audit (
    account_id INT,
    note VARCHAR(100)
);

CREATE TABLE old_log (
    x INT
);

CREATE TRIGGER accounts_shout BEFORE INSERT ON accounts FOR EACH ROW SET NEW.shout = UPPER(NEW.name);

CREATE TRIGGER accounts_audit AFTER UPDATE ON accounts FOR EACH ROW
BEGIN
    IF NEW.balance <> OLD.balance THEN
        INSERT INTO audit VALUES (NEW.id, 'balance');
    END IF;
END;

/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER old_log_insert AFTER INSERT ON old_log FOR EACH ROW SET @seen = 1 */;

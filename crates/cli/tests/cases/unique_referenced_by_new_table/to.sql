CREATE TABLE currencies (id INTEGER PRIMARY KEY, code CHAR(3) NOT NULL UNIQUE);
CREATE TABLE rates (
    from_code CHAR(3) NOT NULL REFERENCES currencies (code),
    to_code CHAR(3) NOT NULL REFERENCES currencies (code),
    rate NUMERIC(18, 8) NOT NULL,
    PRIMARY KEY (from_code, to_code)
);

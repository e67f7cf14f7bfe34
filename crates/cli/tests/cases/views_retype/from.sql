CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    price INTEGER NOT NULL,
    label VARCHAR(20)
);

CREATE VIEW priced AS SELECT id, price FROM items WHERE price > 0;

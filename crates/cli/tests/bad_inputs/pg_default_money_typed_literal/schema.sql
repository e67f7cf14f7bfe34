CREATE TABLE prices (
    id integer PRIMARY KEY,
    amount money DEFAULT money '1.00'
);

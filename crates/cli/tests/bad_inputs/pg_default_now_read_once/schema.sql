CREATE TABLE events (
    id integer PRIMARY KEY,
    at timestamp DEFAULT 'now'::timestamp
);

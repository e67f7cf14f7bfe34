CREATE EXTENSION btree_gist;
CREATE TABLE room (
    id INTEGER PRIMARY KEY,
    floor INTEGER NOT NULL,
    CHECK (floor >= 0) NO INHERIT
);
CREATE TABLE booking (
    id INTEGER PRIMARY KEY,
    room_id INTEGER NOT NULL,
    during TSTZRANGE NOT NULL,
    seats INT4RANGE,
    note TEXT,
    EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (note IS DISTINCT FROM 'cancelled'),
    CONSTRAINT booking_seats_apart EXCLUDE USING gist (room_id WITH =, seats WITH &&)
        DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE desk (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL
);
ALTER TABLE desk ADD EXCLUDE USING gist (lower(code) WITH =) INCLUDE (id);

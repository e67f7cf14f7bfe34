CREATE EXTENSION btree_gist;
CREATE TABLE room (
    id INTEGER PRIMARY KEY,
    floor INTEGER NOT NULL,
    CHECK (floor >= 0)
);
CREATE TABLE booking (
    id INTEGER PRIMARY KEY,
    room_id INTEGER NOT NULL,
    during TSTZRANGE NOT NULL,
    seats INT4RANGE,
    note TEXT,
    EXCLUDE USING gist (room_id WITH =, during WITH &&)
);
CREATE TABLE desk (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    CONSTRAINT desk_code_once EXCLUDE (code WITH =)
);

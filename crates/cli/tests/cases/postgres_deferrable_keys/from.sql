CREATE TABLE seat (
    id INTEGER PRIMARY KEY,
    row_no INTEGER NOT NULL,
    place INTEGER NOT NULL,
    CONSTRAINT seat_place UNIQUE (row_no, place)
);
CREATE TABLE ticket (
    code TEXT NOT NULL,
    seat INTEGER
);
ALTER TABLE ticket ADD CONSTRAINT ticket_pkey PRIMARY KEY (code);

CREATE TABLE readings (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    amount TEXT,
    taken TEXT,
    active VARCHAR(5),
    flag INTEGER,
    payload TEXT,
    "Ref Id" TEXT,
    at_time TIME
);

CREATE TABLE readings (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    amount INTEGER,
    taken DATE,
    active BOOLEAN,
    flag BOOLEAN,
    payload JSONB,
    "Ref Id" UUID,
    at_time TIMESTAMP
);

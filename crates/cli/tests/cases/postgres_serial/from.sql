CREATE TABLE tickets (
    id SERIAL PRIMARY KEY,
    seat SMALLSERIAL NOT NULL,
    batch BIGSERIAL NOT NULL,
    counter SERIAL NOT NULL,
    at TIMETZ,
    stamped TIMESTAMPTZ(3),
    flags VARBIT(5),
    tags VARCHAR(20)[],
    grid INTEGER[][]
);

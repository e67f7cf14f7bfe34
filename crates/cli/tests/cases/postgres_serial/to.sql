-- `id` and `seat` widen; every other column is the same type spelled another way.
CREATE TABLE tickets (
    id BIGSERIAL PRIMARY KEY,
    seat SERIAL4 NOT NULL,
    batch SERIAL8 NOT NULL,
    counter SERIAL4 NOT NULL,
    at TIME WITH TIME ZONE,
    stamped TIMESTAMP(3) WITH TIME ZONE,
    flags BIT VARYING(5),
    tags CHARACTER VARYING(20)[],
    grid INTEGER[]
);

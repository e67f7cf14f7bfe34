-- `b` becomes STORED, `c` goes, `d` comes VIRTUAL, and the plain column `n` becomes
-- generated (its values are lost, with consent).
CREATE TABLE m (
    id INTEGER PRIMARY KEY,
    a INTEGER,
    n INTEGER GENERATED ALWAYS AS (a * 3) VIRTUAL,
    b INTEGER GENERATED ALWAYS AS (a + 1) STORED,
    d INTEGER AS (a - 1) VIRTUAL
);

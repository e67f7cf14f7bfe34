-- A range partition dropped and one added; a table partitioned anew; a list's
-- partitioning removed; a list of columns given one more partition; a hash made a key.
CREATE TABLE sales (
    id INT NOT NULL,
    sold DATE NOT NULL,
    amount INT NOT NULL,
    PRIMARY KEY (id, sold)
)
PARTITION BY RANGE (YEAR(sold)) (
    PARTITION p2022 VALUES LESS THAN (2023),
    PARTITION p2023 VALUES LESS THAN (2024),
    PARTITION p2024 VALUES LESS THAN (2025)
);

CREATE TABLE visits (
    id INT NOT NULL PRIMARY KEY,
    region CHAR(2) NOT NULL
);

CREATE TABLE logs (
    id INT NOT NULL,
    level INT NOT NULL,
    PRIMARY KEY (id, level)
)
PARTITION BY LIST (level) (
    PARTITION p_low VALUES IN (1, 2),
    PARTITION p_high VALUES IN (3, 4)
);

CREATE TABLE codes (
    code VARCHAR(2) NOT NULL,
    n INT NOT NULL
)
PARTITION BY LIST COLUMNS (code) (
    PARTITION a VALUES IN ('a', 'b'),
    PARTITION c VALUES IN ('c')
);

CREATE TABLE buckets (
    id INT NOT NULL PRIMARY KEY,
    note VARCHAR(20)
)
PARTITION BY HASH (id) PARTITIONS 2;

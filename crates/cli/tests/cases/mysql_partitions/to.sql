CREATE TABLE sales (
    id INT NOT NULL,
    sold DATE NOT NULL,
    amount INT NOT NULL,
    PRIMARY KEY (id, sold)
)
PARTITION BY RANGE (YEAR(sold)) (
    PARTITION p2023 VALUES LESS THAN (2024),
    PARTITION p2024 VALUES LESS THAN (2025),
    PARTITION p2025 VALUES LESS THAN (2026)
);

CREATE TABLE visits (
    id INT NOT NULL PRIMARY KEY,
    region CHAR(2) NOT NULL
)
PARTITION BY HASH (id) PARTITIONS 3;

CREATE TABLE logs (
    id INT NOT NULL,
    level INT NOT NULL,
    PRIMARY KEY (id, level)
);

-- mysqldump's form: the server's spelling in a versioned comment.
CREATE TABLE codes (
    code VARCHAR(2) NOT NULL,
    n INT NOT NULL
)
/*!50500 PARTITION BY LIST  COLUMNS(`code`)
(PARTITION `a` VALUES IN ('a','b') ENGINE = InnoDB,
 PARTITION `c` VALUES IN ('c') ENGINE = InnoDB,
 PARTITION `d` VALUES IN ('d','e') ENGINE = InnoDB) */;

CREATE TABLE buckets (
    id INT NOT NULL PRIMARY KEY,
    note VARCHAR(20)
)
PARTITION BY KEY (id) PARTITIONS 4;

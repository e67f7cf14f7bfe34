-- Keys hidden from the optimizer in MariaDB's word (MySQL's is INVISIBLE), as
-- SHOW CREATE TABLE writes them.
CREATE TABLE herd (
  id int NOT NULL,
  name varchar(50) NOT NULL,
  region int DEFAULT NULL,
  born date DEFAULT NULL,
  PRIMARY KEY (id),
  KEY herd_name (name),
  KEY herd_region (region) IGNORED,
  KEY herd_born (born) COMMENT 'by birth' IGNORED
);

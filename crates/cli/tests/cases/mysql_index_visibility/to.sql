-- One key hidden, one shown again (NOT IGNORED is what a key is without a word),
-- one made hidden with ALTER TABLE and one with CREATE INDEX; the commented key
-- stays as it is.
CREATE TABLE herd (
  id int NOT NULL,
  name varchar(50) NOT NULL,
  region int DEFAULT NULL,
  born date DEFAULT NULL,
  PRIMARY KEY (id),
  KEY herd_name (name) IGNORED,
  KEY herd_region (region) NOT IGNORED,
  KEY herd_born (born) COMMENT 'by birth' IGNORED
);
ALTER TABLE herd ADD INDEX herd_name_region (name, region) IGNORED;
CREATE INDEX herd_region_born ON herd (region, born) IGNORED;

-- A length changed (a drop and a create), a prefix key added by ALTER TABLE, one
-- dropped.
CREATE TABLE post_meta (
  id int NOT NULL,
  post_id int NOT NULL,
  meta_key varchar(255) DEFAULT NULL,
  meta_value longtext,
  PRIMARY KEY (id),
  UNIQUE KEY post_meta_one (post_id,meta_key(100)),
  KEY meta_key (meta_key(150))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
ALTER TABLE post_meta ADD UNIQUE KEY post_meta_value (meta_value(64), id);

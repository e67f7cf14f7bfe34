-- Keys on a column's first characters, as mysqldump writes them: alone, in a
-- unique key mixed with a whole column, descending, and by CREATE INDEX.
CREATE TABLE post_meta (
  id int NOT NULL,
  post_id int NOT NULL,
  meta_key varchar(255) DEFAULT NULL,
  meta_value longtext,
  PRIMARY KEY (id),
  UNIQUE KEY post_meta_one (post_id,meta_key(100)),
  KEY meta_key (meta_key(191))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE INDEX meta_value ON post_meta (meta_value(32) DESC);

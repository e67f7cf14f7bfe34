-- As mysqldump writes them: `USING BTREE` where a key said it, the counter of
-- AUTO_INCREMENT (data, never drift), a key's comment and the table options.
CREATE TABLE note (
  id int NOT NULL AUTO_INCREMENT,
  title varchar(200) NOT NULL,
  topic int DEFAULT NULL,
  PRIMARY KEY (id) USING BTREE,
  UNIQUE KEY note_title (title) USING BTREE,
  KEY note_topic (topic) USING BTREE COMMENT 'by topic'
) ENGINE=InnoDB AUTO_INCREMENT=7 ROW_FORMAT=DYNAMIC STATS_PERSISTENT=1;

CREATE TABLE tally (
  id int NOT NULL,
  n int DEFAULT NULL,
  PRIMARY KEY (id)
) ENGINE=MyISAM PACK_KEYS=1 CHECKSUM=1;

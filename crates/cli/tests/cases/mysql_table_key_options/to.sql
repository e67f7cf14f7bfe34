-- A comment changed and one added by ALTER TABLE; table options changed, added and
-- taken back to their defaults.
CREATE TABLE note (
  id int NOT NULL AUTO_INCREMENT,
  title varchar(200) NOT NULL,
  topic int DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY note_title (title),
  KEY note_topic (topic) COMMENT 'lookups by topic'
) ENGINE=InnoDB AUTO_INCREMENT=99 ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=8 STATS_SAMPLE_PAGES=16;
ALTER TABLE note ADD INDEX note_topic_title (topic, title) COMMENT 'it''s for listing';

CREATE TABLE tally (
  id int NOT NULL,
  n int DEFAULT NULL,
  PRIMARY KEY (id)
) ENGINE=MyISAM DELAY_KEY_WRITE=1 STATS_AUTO_RECALC=0;

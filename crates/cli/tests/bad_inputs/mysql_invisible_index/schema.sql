CREATE TABLE note (
  id int NOT NULL,
  topic int,
  PRIMARY KEY (id),
  KEY note_topic (topic) INVISIBLE
);

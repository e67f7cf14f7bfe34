CREATE TABLE note (
  id int NOT NULL,
  topic int,
  PRIMARY KEY (id),
  UNIQUE KEY note_topic (topic) IGNORED
);

CREATE TABLE article (
  id int NOT NULL,
  title varchar(200) NOT NULL,
  body text,
  PRIMARY KEY (id),
  FULLTEXT KEY article_words (title, body)
) ENGINE=InnoDB;

CREATE TABLE place (
  id int NOT NULL,
  name varchar(50) NOT NULL,
  spot point NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;

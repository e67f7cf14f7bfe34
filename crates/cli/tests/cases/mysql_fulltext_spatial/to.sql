-- As mysqldump writes the keys, and as ALTER TABLE adds one.
CREATE TABLE article (
  id int NOT NULL,
  title varchar(200) NOT NULL,
  body text,
  PRIMARY KEY (id),
  FULLTEXT KEY article_title (title)
) ENGINE=InnoDB;
ALTER TABLE article ADD FULLTEXT INDEX article_body (body);

CREATE TABLE place (
  id int NOT NULL,
  name varchar(50) NOT NULL,
  spot point NOT NULL,
  PRIMARY KEY (id),
  SPATIAL KEY place_spot (spot),
  KEY place_name (name)
) ENGINE=InnoDB;

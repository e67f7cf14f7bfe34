-- One column made visible, two made invisible (one with its ON UPDATE), one added
-- invisible, and a table made with one.
CREATE TABLE herd (
  id int NOT NULL,
  name varchar(50) NOT NULL INVISIBLE DEFAULT '',
  tag int DEFAULT NULL,
  born date NOT NULL INVISIBLE DEFAULT '2020-01-01',
  counted timestamp NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP INVISIBLE,
  region int NOT NULL DEFAULT 0 INVISIBLE,
  PRIMARY KEY (id)
);

CREATE TABLE calf (
  id int NOT NULL PRIMARY KEY,
  mother int INVISIBLE
);

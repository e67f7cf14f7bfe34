-- An invisible column as MySQL's mysqldump writes it (`/*!80023 INVISIBLE */`),
-- one as MariaDB's does (after NOT NULL), and one stamped on update.
CREATE TABLE herd (
  id int NOT NULL,
  name varchar(50) NOT NULL,
  tag int DEFAULT NULL /*!80023 INVISIBLE */,
  born date NOT NULL INVISIBLE DEFAULT '2020-01-01',
  counted timestamp NULL DEFAULT NULL,
  PRIMARY KEY (id)
);

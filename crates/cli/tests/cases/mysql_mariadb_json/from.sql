-- MariaDB keeps a JSON column as LONGTEXT with a json_valid check, and mysqldump
-- writes it so: it is the model's JSON column, here and in the database.
CREATE TABLE `event` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `payload` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL CHECK (json_valid(`payload`)),
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

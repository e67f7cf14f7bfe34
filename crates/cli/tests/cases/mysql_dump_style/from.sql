-- As mysqldump (MariaDB 10.11) writes a schema.
CREATE TABLE `product` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `stock` bigint(20) NOT NULL DEFAULT 0,
  `shelf` smallint(5) unsigned DEFAULT NULL,
  `weight` mediumint(8) unsigned DEFAULT NULL,
  `rank` tinyint(3) unsigned NOT NULL DEFAULT 1,
  `made` year(4) DEFAULT NULL,
  `code` integer unsigned,
  `price` decimal(10,2) NOT NULL DEFAULT 0.00,
  `discount` decimal(10,2) DEFAULT 1.50,
  `tax` decimal(10,2) DEFAULT '1.50',
  `created` timestamp NOT NULL DEFAULT current_timestamp(),
  `updated` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  `active` tinyint(1) NOT NULL DEFAULT '1',
  PRIMARY KEY (`id`),
  CONSTRAINT `price_positive` CHECK (`price` >= 0)
);

CREATE TABLE `tag` (
  id serial,
  name varchar(20)
);

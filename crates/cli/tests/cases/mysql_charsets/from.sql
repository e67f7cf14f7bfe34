-- As `mysqldump --no-data` prints tables: options, character sets, comments.
CREATE TABLE `customer` (
  `id` int NOT NULL AUTO_INCREMENT,
  `email` varchar(191) COLLATE utf8mb4_bin NOT NULL,
  `name` varchar(100) DEFAULT NULL COMMENT 'as shown',
  `code` char(8) CHARACTER SET ascii NOT NULL,
  `notes` text,
  PRIMARY KEY (`id`),
  UNIQUE KEY `customer_email` (`email`)
) ENGINE=InnoDB AUTO_INCREMENT=17 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='people who buy';

CREATE TABLE `legacy` (
  `id` int NOT NULL,
  `label` varchar(40) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;

CREATE TABLE `plain` (
  `id` int NOT NULL,
  `title` varchar(40) NOT NULL,
  PRIMARY KEY (`id`)
);

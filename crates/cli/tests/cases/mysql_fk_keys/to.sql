-- The KEYs left out: MySQL keeps them for the foreign keys all the same.
CREATE TABLE `a` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  PRIMARY KEY (`id`)
);

CREATE TABLE `b` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `a_id` int(11) NOT NULL,
  `other_id` int(11) DEFAULT NULL,
  `note` varchar(20) DEFAULT NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `fk_b_a` FOREIGN KEY (`a_id`) REFERENCES `a` (`id`),
  CONSTRAINT `b_ibfk_1` FOREIGN KEY (`other_id`) REFERENCES `a` (`id`)
);

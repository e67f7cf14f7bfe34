CREATE TABLE author (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    active TINYINT(1) NOT NULL DEFAULT 1,
    country CHAR(2),
    seen DATETIME(3) ON UPDATE CURRENT_TIMESTAMP(3),
    INDEX author_country_name (country, name DESC)
);

CREATE TABLE book (
    id INT NOT NULL AUTO_INCREMENT,
    author_id INT NOT NULL,
    title VARCHAR(200) NOT NULL,
    available TINYINT(1) NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    KEY book_author (author_id),
    KEY book_title (title),
    CONSTRAINT book_author_fk FOREIGN KEY (author_id) REFERENCES author (id)
);

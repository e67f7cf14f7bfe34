-- A video store, written for wildebeest's tests: the kinds of object a SQLite
-- sample database holds (declared types as other databases spell them, views,
-- triggers keeping a timestamp), not any published schema.

CREATE TABLE language (
  language_id INTEGER PRIMARY KEY AUTOINCREMENT,
  name CHAR(20) NOT NULL,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE category (
  category_id SMALLINT NOT NULL PRIMARY KEY,
  name VARCHAR(25) NOT NULL,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE actor (
  actor_id NUMERIC NOT NULL PRIMARY KEY,
  first_name VARCHAR(45) NOT NULL,
  last_name VARCHAR(45) NOT NULL,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_actor_last_name ON actor (last_name);

CREATE TABLE film (
  film_id INTEGER PRIMARY KEY,
  title VARCHAR(255) NOT NULL,
  description BLOB SUB_TYPE TEXT,
  release_year VARCHAR(4),
  language_id SMALLINT NOT NULL REFERENCES language (language_id),
  original_language_id SMALLINT REFERENCES language (language_id),
  rental_duration SMALLINT NOT NULL DEFAULT 3,
  rental_rate DECIMAL(4,2) NOT NULL DEFAULT 4.99,
  length SMALLINT,
  replacement_cost DECIMAL(5,2) NOT NULL DEFAULT 19.99,
  rating VARCHAR(10) DEFAULT 'G' CHECK (rating IN ('G','PG','PG-13','R','NC-17')),
  special_features VARCHAR(100),
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_fk_language_id ON film (language_id);

CREATE TABLE film_actor (
  actor_id INT NOT NULL REFERENCES actor (actor_id) ON DELETE NO ACTION ON UPDATE CASCADE,
  film_id INT NOT NULL REFERENCES film (film_id) ON DELETE NO ACTION ON UPDATE CASCADE,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (actor_id, film_id)
);

CREATE TABLE film_category (
  film_id INT NOT NULL REFERENCES film (film_id),
  category_id SMALLINT NOT NULL REFERENCES category (category_id),
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (film_id, category_id)
);

CREATE TABLE customer (
  customer_id INTEGER PRIMARY KEY,
  first_name VARCHAR(45) NOT NULL,
  last_name VARCHAR(45) NOT NULL,
  email VARCHAR(50),
  active CHAR(1) NOT NULL DEFAULT 'Y',
  create_date TIMESTAMP NOT NULL,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_customer_last_name ON customer (last_name);

CREATE TABLE payment (
  payment_id INTEGER PRIMARY KEY,
  customer_id INT NOT NULL REFERENCES customer (customer_id),
  amount DECIMAL(5,2) NOT NULL,
  payment_date TIMESTAMP NOT NULL,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE VIEW film_list AS
  SELECT film.film_id AS fid, film.title AS title, category.name AS category,
         film.rental_rate AS price, film.length AS length, film.rating AS rating
  FROM film
  LEFT JOIN film_category ON film_category.film_id = film.film_id
  LEFT JOIN category ON category.category_id = film_category.category_id;

CREATE VIEW customer_totals AS
  SELECT customer.customer_id AS id, customer.first_name || ' ' || customer.last_name AS name,
         SUM(payment.amount) AS total
  FROM customer JOIN payment ON payment.customer_id = customer.customer_id
  GROUP BY customer.customer_id;

CREATE TRIGGER film_touch AFTER UPDATE ON film FOR EACH ROW
BEGIN
  UPDATE film SET last_update = CURRENT_TIMESTAMP WHERE film_id = NEW.film_id;
END;

CREATE TRIGGER customer_trigger_ai AFTER INSERT ON customer
BEGIN
  UPDATE customer SET create_date = DATETIME('NOW') WHERE rowid = new.rowid;
END;

CREATE TRIGGER payment_touch AFTER UPDATE ON payment FOR EACH ROW
BEGIN
  UPDATE payment SET last_update = CURRENT_TIMESTAMP WHERE payment_id = NEW.payment_id;
END;

-- A DVD rental shop, written for wildebeest's tests: the kinds of object a
-- PostgreSQL sample database holds (enum and domain types, functions, views,
-- full-text and partial indexes, arrays, comments, triggers, a sequence of its
-- own, a partitioned table, a materialized view, row-level security), not any
-- published schema.

CREATE TYPE rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');

CREATE DOMAIN release_year AS integer
    CONSTRAINT release_year_check CHECK (VALUE >= 1888 AND VALUE <= 2155);

CREATE FUNCTION touch_last_update() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.last_update := now();
    RETURN NEW;
END
$$;

CREATE TABLE country (
    country_id serial PRIMARY KEY,
    country text NOT NULL,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE city (
    city_id serial PRIMARY KEY,
    city text NOT NULL,
    country_id integer NOT NULL REFERENCES country (country_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);
CREATE INDEX city_country_idx ON city (country_id);

CREATE TABLE address (
    address_id serial PRIMARY KEY,
    address varchar(50) NOT NULL,
    district varchar(20) NOT NULL,
    city_id integer NOT NULL REFERENCES city (city_id),
    postal_code varchar(10),
    phone varchar(20) NOT NULL DEFAULT '',
    last_update timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE language (
    language_id serial PRIMARY KEY,
    name character(20) NOT NULL,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE category (
    category_id serial PRIMARY KEY,
    name varchar(25) NOT NULL,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE actor (
    actor_id serial PRIMARY KEY,
    first_name varchar(45) NOT NULL,
    last_name varchar(45) NOT NULL,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);
CREATE INDEX actor_last_name_idx ON actor (last_name);

CREATE TABLE film (
    film_id serial PRIMARY KEY,
    title varchar(255) NOT NULL,
    description text,
    release_year release_year,
    language_id integer NOT NULL REFERENCES language (language_id) ON UPDATE CASCADE,
    original_language_id integer REFERENCES language (language_id),
    rental_duration smallint NOT NULL DEFAULT 3,
    rental_rate numeric(4, 2) NOT NULL DEFAULT 4.99,
    length smallint CHECK (length > 0),
    replacement_cost numeric(5, 2) NOT NULL DEFAULT 19.99,
    rating rating DEFAULT 'G',
    special_features text[],
    fulltext tsvector NOT NULL DEFAULT ''::tsvector,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);
CREATE INDEX film_fulltext_idx ON film USING gist (fulltext);
CREATE INDEX film_title_idx ON film (title);
CREATE INDEX film_lower_title_idx ON film (lower(title) text_pattern_ops);
COMMENT ON TABLE film IS 'One title of the catalogue';
COMMENT ON COLUMN film.rental_rate IS 'Price of one rental';

CREATE TABLE film_actor (
    actor_id integer NOT NULL REFERENCES actor (actor_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    film_id integer NOT NULL REFERENCES film (film_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    last_update timestamp with time zone NOT NULL DEFAULT now(),
    PRIMARY KEY (actor_id, film_id)
);

CREATE TABLE film_category (
    film_id integer NOT NULL REFERENCES film (film_id),
    category_id integer NOT NULL REFERENCES category (category_id),
    last_update timestamp with time zone NOT NULL DEFAULT now(),
    PRIMARY KEY (film_id, category_id)
);

CREATE TABLE store (
    store_id serial PRIMARY KEY,
    manager_staff_id integer NOT NULL,
    address_id integer NOT NULL REFERENCES address (address_id),
    last_update timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE staff (
    staff_id serial PRIMARY KEY,
    first_name varchar(45) NOT NULL,
    last_name varchar(45) NOT NULL,
    address_id integer NOT NULL REFERENCES address (address_id),
    email varchar(50),
    store_id integer NOT NULL REFERENCES store (store_id),
    active boolean NOT NULL DEFAULT true,
    username varchar(16) NOT NULL,
    password varchar(40),
    picture bytea,
    last_update timestamp with time zone NOT NULL DEFAULT now()
);
ALTER TABLE store ADD CONSTRAINT store_manager_fkey
    FOREIGN KEY (manager_staff_id) REFERENCES staff (staff_id) DEFERRABLE INITIALLY DEFERRED;
CREATE UNIQUE INDEX store_manager_idx ON store (manager_staff_id);

CREATE TABLE customer (
    customer_id serial PRIMARY KEY,
    store_id integer NOT NULL REFERENCES store (store_id),
    first_name varchar(45) NOT NULL,
    last_name varchar(45) NOT NULL,
    email varchar(50),
    address_id integer NOT NULL REFERENCES address (address_id),
    activebool boolean NOT NULL DEFAULT true,
    create_date date NOT NULL DEFAULT CURRENT_DATE,
    active integer,
    last_update timestamp with time zone DEFAULT now()
);
CREATE INDEX customer_last_name_idx ON customer (last_name);
CREATE INDEX customer_active_idx ON customer (store_id) WHERE activebool;

CREATE TABLE inventory (
    inventory_id serial PRIMARY KEY,
    film_id integer NOT NULL REFERENCES film (film_id),
    store_id integer NOT NULL REFERENCES store (store_id),
    last_update timestamp with time zone NOT NULL DEFAULT now()
);
CREATE INDEX inventory_store_film_idx ON inventory (store_id, film_id);

CREATE TABLE rental (
    rental_id serial PRIMARY KEY,
    rental_date timestamp with time zone NOT NULL,
    inventory_id integer NOT NULL REFERENCES inventory (inventory_id),
    customer_id integer NOT NULL REFERENCES customer (customer_id),
    return_date timestamp with time zone,
    staff_id integer NOT NULL REFERENCES staff (staff_id),
    last_update timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT rental_once UNIQUE (rental_date, inventory_id, customer_id)
);

CREATE TABLE payment (
    payment_id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customer (customer_id),
    staff_id integer NOT NULL REFERENCES staff (staff_id),
    rental_id integer REFERENCES rental (rental_id) ON DELETE SET NULL,
    amount numeric(5, 2) NOT NULL CHECK (amount >= 0),
    payment_date timestamp with time zone NOT NULL
);
CREATE INDEX payment_customer_date_idx ON payment (customer_id, payment_date DESC);

CREATE FUNCTION film_in_stock(p_film integer, p_store integer)
RETURNS SETOF integer
LANGUAGE sql
AS $$
    SELECT inventory_id FROM inventory
    WHERE film_id = p_film AND store_id = p_store
$$;

CREATE VIEW actor_names AS
    SELECT actor_id, first_name || ' ' || last_name AS name FROM actor;

CREATE VIEW film_list AS
    SELECT f.film_id AS fid, f.title, f.description, c.name AS category,
           f.rental_rate AS price, f.length, f.rating
    FROM film f
    LEFT JOIN film_category fc ON fc.film_id = f.film_id
    LEFT JOIN category c ON c.category_id = fc.category_id;

CREATE VIEW customer_list AS
    SELECT cu.customer_id AS id, cu.first_name || ' ' || cu.last_name AS name,
           a.address, a.postal_code AS "zip code", a.phone, ci.city, co.country,
           CASE WHEN cu.activebool THEN 'active' ELSE '' END AS notes, cu.store_id AS sid
    FROM customer cu
    JOIN address a ON cu.address_id = a.address_id
    JOIN city ci ON a.city_id = ci.city_id
    JOIN country co ON ci.country_id = co.country_id;

CREATE VIEW sales_by_store AS
    SELECT s.store_id, sum(p.amount) AS total_sales, count(*) AS payments
    FROM payment p
    JOIN rental r ON p.rental_id = r.rental_id
    JOIN inventory i ON r.inventory_id = i.inventory_id
    JOIN store s ON i.store_id = s.store_id
    GROUP BY s.store_id;

CREATE TRIGGER actor_touch BEFORE UPDATE ON actor
    FOR EACH ROW EXECUTE FUNCTION touch_last_update();
CREATE TRIGGER film_touch BEFORE UPDATE ON film
    FOR EACH ROW EXECUTE FUNCTION touch_last_update();

CREATE SEQUENCE receipt_no START WITH 1000 INCREMENT BY 10;

CREATE TABLE payment_archive (
    payment_id integer NOT NULL,
    receipt integer NOT NULL DEFAULT nextval('receipt_no'),
    amount numeric(5, 2) NOT NULL,
    paid_on date NOT NULL
) PARTITION BY RANGE (paid_on);
CREATE TABLE payment_archive_2024 PARTITION OF payment_archive
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE payment_archive_2025 PARTITION OF payment_archive
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX payment_archive_paid_idx ON payment_archive (paid_on);

CREATE MATERIALIZED VIEW sales_by_category AS
    SELECT c.name AS category, count(*) AS films
    FROM film_category fc JOIN category c ON c.category_id = fc.category_id
    GROUP BY c.name;

ALTER TABLE customer ENABLE ROW LEVEL SECURITY;
CREATE POLICY customer_store ON customer USING (store_id > 0);

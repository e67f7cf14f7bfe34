-- The video store of store/mysql.sql and store/sqlite.sql, written for
-- wildebeest's tests as a hand-written PostgreSQL script would spell it (not a
-- pg_dump): sequences made before the tables that draw on them, a domain and an
-- enum type, a full-text column kept by the server's own trigger function, a
-- trigger function of its own, functions views call, an aggregate of its own,
-- not any published schema.

CREATE SEQUENCE language_language_id_seq
    INCREMENT BY 1
    NO MAXVALUE
    NO MINVALUE
    CACHE 1;

CREATE SEQUENCE category_category_id_seq
    INCREMENT BY 1
    NO MAXVALUE
    NO MINVALUE
    CACHE 1;

CREATE SEQUENCE actor_actor_id_seq
    INCREMENT BY 1
    NO MAXVALUE
    NO MINVALUE
    CACHE 1;

CREATE SEQUENCE film_film_id_seq
    INCREMENT BY 1
    NO MAXVALUE
    NO MINVALUE
    CACHE 1;

CREATE SEQUENCE customer_customer_id_seq
    INCREMENT BY 1
    NO MAXVALUE
    NO MINVALUE
    CACHE 1;

CREATE SEQUENCE payment_payment_id_seq
    INCREMENT BY 1
    NO MAXVALUE
    NO MINVALUE
    CACHE 1;

CREATE DOMAIN year AS integer
    CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)));

CREATE TYPE mpaa_rating AS ENUM (
    'G',
    'PG',
    'PG-13',
    'R',
    'NC-17'
);

CREATE FUNCTION last_updated() RETURNS trigger
    AS $$
BEGIN
    NEW.last_update = CURRENT_TIMESTAMP;
    RETURN NEW;
END $$
    LANGUAGE plpgsql;

CREATE TABLE language (
    language_id integer DEFAULT nextval('language_language_id_seq'::regclass) NOT NULL,
    name character(20) NOT NULL,
    last_update timestamp without time zone DEFAULT now() NOT NULL,
    CONSTRAINT language_pkey PRIMARY KEY (language_id)
);

CREATE TABLE category (
    category_id integer DEFAULT nextval('category_category_id_seq'::regclass) NOT NULL,
    name character varying(25) NOT NULL,
    last_update timestamp without time zone DEFAULT now() NOT NULL,
    CONSTRAINT category_pkey PRIMARY KEY (category_id)
);

CREATE TABLE actor (
    actor_id integer DEFAULT nextval('actor_actor_id_seq'::regclass) NOT NULL,
    first_name character varying(45) NOT NULL,
    last_name character varying(45) NOT NULL,
    last_update timestamp without time zone DEFAULT now() NOT NULL,
    CONSTRAINT actor_pkey PRIMARY KEY (actor_id)
);

CREATE INDEX idx_actor_last_name ON actor USING btree (last_name);

CREATE TABLE film (
    film_id integer DEFAULT nextval('film_film_id_seq'::regclass) NOT NULL,
    title character varying(255) NOT NULL,
    description text,
    release_year year,
    language_id smallint NOT NULL,
    original_language_id smallint,
    rental_duration smallint DEFAULT 3 NOT NULL,
    rental_rate numeric(4,2) DEFAULT 4.99 NOT NULL,
    length smallint,
    replacement_cost numeric(5,2) DEFAULT 19.99 NOT NULL,
    rating mpaa_rating DEFAULT 'G'::mpaa_rating,
    last_update timestamp without time zone DEFAULT now() NOT NULL,
    special_features text[],
    fulltext tsvector NOT NULL,
    CONSTRAINT film_pkey PRIMARY KEY (film_id),
    CONSTRAINT film_language_id_fkey FOREIGN KEY (language_id)
        REFERENCES language (language_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    CONSTRAINT film_original_language_id_fkey FOREIGN KEY (original_language_id)
        REFERENCES language (language_id) ON UPDATE CASCADE ON DELETE RESTRICT
);

CREATE INDEX film_fulltext_idx ON film USING gist (fulltext);
CREATE INDEX idx_title ON film USING btree (title);
CREATE INDEX idx_fk_language_id ON film USING btree (language_id);

CREATE TABLE film_actor (
    actor_id smallint NOT NULL,
    film_id smallint NOT NULL,
    last_update timestamp without time zone DEFAULT now() NOT NULL,
    CONSTRAINT film_actor_pkey PRIMARY KEY (actor_id, film_id),
    CONSTRAINT film_actor_actor_id_fkey FOREIGN KEY (actor_id)
        REFERENCES actor (actor_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    CONSTRAINT film_actor_film_id_fkey FOREIGN KEY (film_id)
        REFERENCES film (film_id) ON UPDATE CASCADE ON DELETE RESTRICT
);

CREATE INDEX idx_fk_film_id ON film_actor USING btree (film_id);

CREATE TABLE film_category (
    film_id smallint NOT NULL,
    category_id smallint NOT NULL,
    last_update timestamp without time zone DEFAULT now() NOT NULL,
    CONSTRAINT film_category_pkey PRIMARY KEY (film_id, category_id),
    CONSTRAINT film_category_category_id_fkey FOREIGN KEY (category_id)
        REFERENCES category (category_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    CONSTRAINT film_category_film_id_fkey FOREIGN KEY (film_id)
        REFERENCES film (film_id) ON UPDATE CASCADE ON DELETE RESTRICT
);

CREATE TABLE customer (
    customer_id integer DEFAULT nextval('customer_customer_id_seq'::regclass) NOT NULL,
    first_name character varying(45) NOT NULL,
    last_name character varying(45) NOT NULL,
    email character varying(50),
    activebool boolean DEFAULT true NOT NULL,
    create_date date DEFAULT ('now'::text)::date NOT NULL,
    last_update timestamp without time zone DEFAULT now(),
    active integer,
    CONSTRAINT customer_pkey PRIMARY KEY (customer_id)
);

CREATE INDEX idx_last_name ON customer USING btree (last_name);

CREATE TABLE payment (
    payment_id integer DEFAULT nextval('payment_payment_id_seq'::regclass) NOT NULL,
    customer_id smallint NOT NULL,
    amount numeric(5,2) NOT NULL,
    payment_date timestamp without time zone NOT NULL,
    CONSTRAINT payment_pkey PRIMARY KEY (payment_id),
    CONSTRAINT payment_customer_id_fkey FOREIGN KEY (customer_id)
        REFERENCES customer (customer_id) ON UPDATE CASCADE ON DELETE RESTRICT
);

CREATE INDEX idx_fk_customer_id ON payment USING btree (customer_id);

ALTER SEQUENCE language_language_id_seq OWNED BY language.language_id;
ALTER SEQUENCE category_category_id_seq OWNED BY category.category_id;
ALTER SEQUENCE actor_actor_id_seq OWNED BY actor.actor_id;
ALTER SEQUENCE film_film_id_seq OWNED BY film.film_id;
ALTER SEQUENCE customer_customer_id_seq OWNED BY customer.customer_id;
ALTER SEQUENCE payment_payment_id_seq OWNED BY payment.payment_id;

CREATE FUNCTION customer_balance(p_customer_id integer) RETURNS numeric
    LANGUAGE sql STABLE
    AS $$
    SELECT COALESCE(SUM(amount), 0) FROM payment WHERE customer_id = p_customer_id
$$;

CREATE VIEW film_list AS
    SELECT film.film_id AS fid, film.title, film.description, category.name AS category,
           film.rental_rate AS price, film.length, film.rating
    FROM category
    LEFT JOIN film_category ON category.category_id = film_category.category_id
    LEFT JOIN film ON film_category.film_id = film.film_id;

CREATE VIEW customer_list AS
    SELECT cu.customer_id AS id, (cu.first_name::text || ' '::text) || cu.last_name::text AS name,
           CASE WHEN cu.activebool THEN 'active'::text ELSE ''::text END AS notes,
           customer_balance(cu.customer_id) AS balance
    FROM customer cu;

CREATE VIEW sales_by_film_category AS
    SELECT c.name AS category, sum(p.amount) AS total_sales
    FROM payment p
    JOIN film_category fc ON fc.film_id = p.customer_id
    JOIN category c ON fc.category_id = c.category_id
    GROUP BY c.name
    ORDER BY sum(p.amount) DESC;

CREATE TRIGGER film_fulltext_trigger BEFORE INSERT OR UPDATE ON film
    FOR EACH ROW EXECUTE PROCEDURE tsvector_update_trigger('fulltext', 'pg_catalog.english', 'title', 'description');

CREATE TRIGGER last_updated BEFORE UPDATE ON actor FOR EACH ROW EXECUTE PROCEDURE last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON category FOR EACH ROW EXECUTE PROCEDURE last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON film FOR EACH ROW EXECUTE PROCEDURE last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON film_actor FOR EACH ROW EXECUTE PROCEDURE last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON language FOR EACH ROW EXECUTE PROCEDURE last_updated();
CREATE TRIGGER last_updated BEFORE UPDATE ON customer FOR EACH ROW EXECUTE PROCEDURE last_updated();

CREATE FUNCTION _group_concat(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$
SELECT CASE
  WHEN $2 IS NULL THEN $1
  WHEN $1 IS NULL THEN $2
  ELSE $1 || ', ' || $2
END
$_$;

CREATE AGGREGATE group_concat(text) (
    SFUNC = _group_concat,
    STYPE = text
);

CREATE VIEW actor_info AS
    SELECT a.actor_id, a.first_name, a.last_name,
           group_concat(DISTINCT c.name::text) AS categories
    FROM actor a
    LEFT JOIN film_actor fa ON fa.actor_id = a.actor_id
    LEFT JOIN film_category fc ON fc.film_id = fa.film_id
    LEFT JOIN category c ON c.category_id = fc.category_id
    GROUP BY a.actor_id, a.first_name, a.last_name;

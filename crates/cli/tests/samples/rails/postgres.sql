SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: order_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.order_status AS ENUM (
    'pending',
    'paid',
    'shipped',
    'cancelled'
);


--
-- Name: set_updated_at(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at = now();
  RETURN NEW;
END;
$$;


--
-- Name: order_total(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.order_total(p_order bigint) RETURNS numeric
    LANGUAGE sql STABLE
    AS $$
  SELECT coalesce(sum(quantity * unit_price), 0) FROM public.line_items WHERE order_id = p_order
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: ar_internal_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_internal_metadata (
    key character varying NOT NULL,
    value character varying,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);


--
-- Name: line_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.line_items (
    id bigint NOT NULL,
    order_id bigint NOT NULL,
    product_id bigint NOT NULL,
    quantity integer DEFAULT 1 NOT NULL,
    unit_price numeric(10,2) NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL,
    CONSTRAINT line_items_quantity_positive CHECK ((quantity > 0))
);


--
-- Name: line_items_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.line_items_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: line_items_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.line_items_id_seq OWNED BY public.line_items.id;


--
-- Name: orders; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.orders (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    status public.order_status DEFAULT 'pending'::public.order_status NOT NULL,
    placed_at timestamp(6) without time zone,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);


--
-- Name: orders_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.orders_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: orders_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;


--
-- Name: page_views; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.page_views (
    id bigint NOT NULL,
    path character varying NOT NULL,
    product_id bigint,
    viewed_at timestamp(6) without time zone NOT NULL
)
PARTITION BY RANGE (viewed_at);


--
-- Name: page_views_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.page_views_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: page_views_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.page_views_id_seq OWNED BY public.page_views.id;


--
-- Name: page_views_2024; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.page_views_2024 (
    id bigint DEFAULT nextval('public.page_views_id_seq'::regclass) NOT NULL,
    path character varying NOT NULL,
    product_id bigint,
    viewed_at timestamp(6) without time zone NOT NULL
);


--
-- Name: page_views_2025; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.page_views_2025 (
    id bigint DEFAULT nextval('public.page_views_id_seq'::regclass) NOT NULL,
    path character varying NOT NULL,
    product_id bigint,
    viewed_at timestamp(6) without time zone NOT NULL
);


--
-- Name: page_views_default; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.page_views_default (
    id bigint DEFAULT nextval('public.page_views_id_seq'::regclass) NOT NULL,
    path character varying NOT NULL,
    product_id bigint,
    viewed_at timestamp(6) without time zone NOT NULL
);


--
-- Name: products; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.products (
    id bigint NOT NULL,
    sku character varying NOT NULL,
    name character varying NOT NULL,
    price numeric(10,2) DEFAULT 0.0 NOT NULL,
    tags character varying[] DEFAULT '{}'::character varying[] NOT NULL,
    discarded_at timestamp(6) without time zone,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);


--
-- Name: products_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.products_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: products_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.products_id_seq OWNED BY public.products.id;


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version character varying NOT NULL
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id bigint NOT NULL,
    email character varying DEFAULT ''::character varying NOT NULL,
    encrypted_password character varying DEFAULT ''::character varying NOT NULL,
    reset_password_token character varying,
    sign_in_count integer DEFAULT 0 NOT NULL,
    admin boolean DEFAULT false NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);


--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: active_products; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.active_products AS
 SELECT id,
    sku,
    name,
    price
   FROM public.products
  WHERE (discarded_at IS NULL);


--
-- Name: order_summaries; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.order_summaries AS
 SELECT o.id AS order_id,
    u.email,
    o.status,
    count(li.id) AS items,
    COALESCE(sum(((li.quantity)::numeric * li.unit_price)), (0)::numeric) AS total
   FROM ((public.orders o
     JOIN public.users u ON ((u.id = o.user_id)))
     LEFT JOIN public.line_items li ON ((li.order_id = o.id)))
  GROUP BY o.id, u.email, o.status;


--
-- Name: page_views_2024; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views ATTACH PARTITION public.page_views_2024 FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2025-01-01 00:00:00');


--
-- Name: page_views_2025; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views ATTACH PARTITION public.page_views_2025 FOR VALUES FROM ('2025-01-01 00:00:00') TO ('2026-01-01 00:00:00');


--
-- Name: page_views_default; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views ATTACH PARTITION public.page_views_default DEFAULT;


--
-- Name: page_views id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views ALTER COLUMN id SET DEFAULT nextval('public.page_views_id_seq'::regclass);


--
-- Name: line_items id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.line_items ALTER COLUMN id SET DEFAULT nextval('public.line_items_id_seq'::regclass);


--
-- Name: orders id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);


--
-- Name: products id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products ALTER COLUMN id SET DEFAULT nextval('public.products_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Name: ar_internal_metadata ar_internal_metadata_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_internal_metadata
    ADD CONSTRAINT ar_internal_metadata_pkey PRIMARY KEY (key);


--
-- Name: line_items line_items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.line_items
    ADD CONSTRAINT line_items_pkey PRIMARY KEY (id);


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- Name: page_views page_views_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views
    ADD CONSTRAINT page_views_pkey PRIMARY KEY (id, viewed_at);


--
-- Name: page_views_2024 page_views_2024_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views_2024
    ADD CONSTRAINT page_views_2024_pkey PRIMARY KEY (id, viewed_at);


--
-- Name: page_views_2025 page_views_2025_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views_2025
    ADD CONSTRAINT page_views_2025_pkey PRIMARY KEY (id, viewed_at);


--
-- Name: page_views_default page_views_default_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_views_default
    ADD CONSTRAINT page_views_default_pkey PRIMARY KEY (id, viewed_at);


--
-- Name: products products_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products
    ADD CONSTRAINT products_pkey PRIMARY KEY (id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: index_line_items_on_order_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_line_items_on_order_id ON public.line_items USING btree (order_id);


--
-- Name: index_line_items_on_product_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_line_items_on_product_id ON public.line_items USING btree (product_id);


--
-- Name: index_orders_on_user_id_and_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_orders_on_user_id_and_status ON public.orders USING btree (user_id, status);


--
-- Name: index_orders_on_metadata; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_orders_on_metadata ON public.orders USING gin (metadata);


--
-- Name: index_page_views_on_path; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_page_views_on_path ON ONLY public.page_views USING btree (path);


--
-- Name: index_page_views_on_product_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_page_views_on_product_id ON ONLY public.page_views USING btree (product_id);


--
-- Name: page_views_2024_path_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX page_views_2024_path_idx ON public.page_views_2024 USING btree (path);


--
-- Name: page_views_2024_product_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX page_views_2024_product_id_idx ON public.page_views_2024 USING btree (product_id);


--
-- Name: page_views_2025_path_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX page_views_2025_path_idx ON public.page_views_2025 USING btree (path);


--
-- Name: page_views_2025_product_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX page_views_2025_product_id_idx ON public.page_views_2025 USING btree (product_id);


--
-- Name: page_views_default_path_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX page_views_default_path_idx ON public.page_views_default USING btree (path);


--
-- Name: page_views_default_product_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX page_views_default_product_id_idx ON public.page_views_default USING btree (product_id);


--
-- Name: index_products_on_lower_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_products_on_lower_name ON public.products USING btree (lower((name)::text));


--
-- Name: index_products_on_sku; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_products_on_sku ON public.products USING btree (sku) WHERE (discarded_at IS NULL);


--
-- Name: index_users_on_email; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_users_on_email ON public.users USING btree (email);


--
-- Name: index_users_on_reset_password_token; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_users_on_reset_password_token ON public.users USING btree (reset_password_token);


--
-- Name: page_views_2024_path_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.index_page_views_on_path ATTACH PARTITION public.page_views_2024_path_idx;


--
-- Name: page_views_2024_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.page_views_pkey ATTACH PARTITION public.page_views_2024_pkey;


--
-- Name: page_views_2024_product_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.index_page_views_on_product_id ATTACH PARTITION public.page_views_2024_product_id_idx;


--
-- Name: page_views_2025_path_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.index_page_views_on_path ATTACH PARTITION public.page_views_2025_path_idx;


--
-- Name: page_views_2025_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.page_views_pkey ATTACH PARTITION public.page_views_2025_pkey;


--
-- Name: page_views_2025_product_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.index_page_views_on_product_id ATTACH PARTITION public.page_views_2025_product_id_idx;


--
-- Name: page_views_default_path_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.index_page_views_on_path ATTACH PARTITION public.page_views_default_path_idx;


--
-- Name: page_views_default_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.page_views_pkey ATTACH PARTITION public.page_views_default_pkey;


--
-- Name: page_views_default_product_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.index_page_views_on_product_id ATTACH PARTITION public.page_views_default_product_id_idx;


--
-- Name: orders set_orders_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER set_orders_updated_at BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: products set_products_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER set_products_updated_at BEFORE UPDATE ON public.products FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: users set_users_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER set_users_updated_at BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: line_items fk_rails_line_items_orders; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.line_items
    ADD CONSTRAINT fk_rails_line_items_orders FOREIGN KEY (order_id) REFERENCES public.orders(id) ON DELETE CASCADE;


--
-- Name: line_items fk_rails_line_items_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.line_items
    ADD CONSTRAINT fk_rails_line_items_products FOREIGN KEY (product_id) REFERENCES public.products(id);


--
-- Name: orders fk_rails_orders_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT fk_rails_orders_users FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: page_views fk_rails_page_views_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.page_views
    ADD CONSTRAINT fk_rails_page_views_products FOREIGN KEY (product_id) REFERENCES public.products(id);


--
-- PostgreSQL database dump complete
--

SET search_path TO "$user", public;

INSERT INTO "schema_migrations" (version) VALUES
('20240101000000'),
('20240102000000'),
('20240103000000');


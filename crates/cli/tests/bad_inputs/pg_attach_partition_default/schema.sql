CREATE TABLE public.p (id integer NOT NULL);
CREATE TABLE public.p_rest (id integer NOT NULL);
ALTER TABLE ONLY public.p ATTACH PARTITION public.p_rest DEFAULT;

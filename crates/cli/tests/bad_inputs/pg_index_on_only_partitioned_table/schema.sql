CREATE TABLE public.p (id integer NOT NULL);

CREATE INDEX p_id ON ONLY public.p USING btree (id);

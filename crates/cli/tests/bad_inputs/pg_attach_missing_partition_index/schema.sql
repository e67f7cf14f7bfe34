CREATE TABLE public.p (id integer NOT NULL) PARTITION BY LIST (id);

CREATE INDEX p_id ON ONLY public.p USING btree (id);

ALTER INDEX public.p_id ATTACH PARTITION public.p_rest_id_idx;

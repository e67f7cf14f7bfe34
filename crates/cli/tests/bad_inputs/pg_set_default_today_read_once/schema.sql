CREATE TABLE public.events (
    id integer NOT NULL,
    day date
);

ALTER TABLE ONLY public.events ALTER COLUMN day SET DEFAULT 'today';

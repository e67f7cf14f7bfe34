-- As pg_dump writes a sequence: every option spelled out, and a bound changed.
CREATE SEQUENCE public.invoice_no
    START WITH 1000
    INCREMENT BY 1
    NO MINVALUE
    MAXVALUE 9999999
    CACHE 1;
-- A wider type, cycling, and no owner any more.
CREATE SEQUENCE ticket_seq AS bigint INCREMENT BY 5 CACHE 10 CYCLE;
-- A new sequence counting down, owned by a new column of a table there before.
CREATE SEQUENCE countdown INCREMENT BY -1;

CREATE TABLE invoice (
    id BIGINT PRIMARY KEY DEFAULT nextval('invoice_no'),
    ticket INTEGER DEFAULT nextval('ticket_seq'::regclass),
    note TEXT,
    position BIGINT DEFAULT nextval('countdown')
);
ALTER SEQUENCE countdown OWNED BY invoice.position;

-- Draws from the new sequence: the old one is dropped after the default moves.
CREATE TABLE tally (
    n BIGINT DEFAULT nextval('countdown')
);

CREATE SEQUENCE invoice_no START WITH 1000;
CREATE SEQUENCE old_counter;
CREATE SEQUENCE ticket_seq AS integer INCREMENT BY 5 CACHE 10;

CREATE TABLE invoice (
    id BIGINT PRIMARY KEY DEFAULT nextval('invoice_no'),
    ticket INTEGER DEFAULT nextval('ticket_seq'::regclass),
    note TEXT
);
ALTER SEQUENCE ticket_seq OWNED BY invoice.ticket;

CREATE TABLE tally (
    n BIGINT DEFAULT nextval('old_counter')
);

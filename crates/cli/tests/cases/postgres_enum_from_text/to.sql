CREATE TYPE invoice_status AS ENUM ('draft', 'sent', 'paid', 'void');

CREATE TABLE invoices (
    id BIGSERIAL PRIMARY KEY,
    status invoice_status NOT NULL DEFAULT 'draft',
    CONSTRAINT invoices_known_status CHECK (status IN ('draft', 'sent', 'paid', 'void'))
);

CREATE INDEX invoices_status ON invoices (status) WHERE status <> 'void';

CREATE TABLE invoices (
    id BIGSERIAL PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'draft',
    CONSTRAINT invoices_known_status CHECK (status IN ('draft', 'sent', 'paid', 'void'))
);

CREATE INDEX invoices_status ON invoices (status) WHERE status <> 'void';

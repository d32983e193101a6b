-- Group sales: a quote holds a large quantity of seats or tickets for a group on one hold that lasts until the
-- invoice's due date; the invoice is paid later (by bank transfer, recorded by the reseller) and only then sold. An
-- unpaid quote lapses with its hold at the due date: its seats are claimable again without any job, and the hold
-- sweeper marks the quote released and tells the reseller (group_quote.released).
CREATE SEQUENCE group_quote_numbers;

CREATE TABLE group_quotes (
    id                    uuid PRIMARY KEY,
    number                text NOT NULL UNIQUE,                     -- the invoice number, GQ-000001
    hold_id               uuid NOT NULL UNIQUE REFERENCES holds (id),
    event_id              uuid NOT NULL REFERENCES events (id),
    organization          text NOT NULL CHECK (length(organization) BETWEEN 1 AND 200),
    contact_email         text NOT NULL CHECK (length(contact_email) BETWEEN 3 AND 254),
    note                  text CHECK (length(note) <= 2000),
    status                text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'released', 'cancelled')),
    due_at                timestamptz NOT NULL,
    ticket_count          integer NOT NULL CHECK (ticket_count > 0),
    subtotal_minor        bigint NOT NULL CHECK (subtotal_minor >= 0),
    platform_fee_minor    bigint NOT NULL CHECK (platform_fee_minor >= 0),
    processing_fee_minor  bigint NOT NULL CHECK (processing_fee_minor >= 0),
    tax_minor             bigint NOT NULL CHECK (tax_minor >= 0),
    total_minor           bigint NOT NULL CHECK (total_minor = subtotal_minor + platform_fee_minor + processing_fee_minor + tax_minor),
    currency              char(3) NOT NULL,
    created_by            text NOT NULL,
    created_at            timestamptz NOT NULL,
    closed_at             timestamptz,
    payment_reference     text,
    order_id              uuid REFERENCES orders (id),
    CONSTRAINT group_quote_paid CHECK ((status = 'paid') = (order_id IS NOT NULL) AND (status <> 'paid' OR payment_reference IS NOT NULL))
);
CREATE INDEX group_quotes_event ON group_quotes (event_id, created_at DESC);
CREATE INDEX group_quotes_open_due ON group_quotes (due_at) WHERE status = 'open';

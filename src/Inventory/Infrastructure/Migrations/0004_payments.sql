-- Payments with the PSP, fees on orders, refunds, event cancellation.

-- One row per payment attempt of a hold; the price (fees included) is fixed when the attempt starts.
CREATE TABLE payments (
    id                    uuid PRIMARY KEY,
    hold_id               uuid NOT NULL REFERENCES holds (id),
    attempt               smallint NOT NULL CHECK (attempt BETWEEN 1 AND 10),
    status                text NOT NULL CHECK (status IN ('creating', 'requires_confirmation', 'processing', 'succeeded', 'failed', 'refunded')),
    psp_intent_id         text UNIQUE,
    client_secret         text,
    subtotal_minor        bigint NOT NULL CHECK (subtotal_minor >= 0),
    platform_fee_minor    bigint NOT NULL CHECK (platform_fee_minor >= 0),
    processing_fee_minor  bigint NOT NULL CHECK (processing_fee_minor >= 0),
    tax_minor             bigint NOT NULL CHECK (tax_minor >= 0),
    total_minor           bigint NOT NULL CHECK (total_minor = subtotal_minor + platform_fee_minor + processing_fee_minor + tax_minor),
    currency              char(3) NOT NULL,
    decline_code          text,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    UNIQUE (hold_id, attempt)
);

-- Failed attempts of a hold; the first failure extends the hold once.
ALTER TABLE holds
    ADD COLUMN payment_failures smallint NOT NULL DEFAULT 0,
    ADD COLUMN extended boolean NOT NULL DEFAULT false;

-- What the buyer paid, stored on the order: tickets, fees, tax.
ALTER TABLE orders
    ADD COLUMN payment_id            uuid REFERENCES payments (id),
    ADD COLUMN subtotal_minor        bigint,
    ADD COLUMN platform_fee_minor    bigint,
    ADD COLUMN processing_fee_minor  bigint,
    ADD COLUMN tax_minor             bigint,
    ADD COLUMN fraud_flagged         boolean NOT NULL DEFAULT false;
ALTER TABLE orders ADD CONSTRAINT order_status CHECK (status IN ('confirmed', 'refunded', 'charged_back'));
CREATE UNIQUE INDEX orders_payment ON orders (payment_id) WHERE payment_id IS NOT NULL;

-- Events can be cancelled (no more holds; every paid order is refunded); end users may ask for a refund until
-- refund_cutoff_hours before the start (null: no self-service refunds).
ALTER TABLE events
    ADD COLUMN status smallint NOT NULL DEFAULT 0 CHECK (status IN (0, 1)),     -- 0 on sale, 1 cancelled
    ADD COLUMN cancelled_at timestamptz,
    ADD COLUMN sold_out_at timestamptz,
    ADD COLUMN refund_cutoff_hours integer DEFAULT 24 CHECK (refund_cutoff_hours >= 0);

-- A seat can now also be void (3): taken out of sale for good (its event was cancelled, or its order charged back).
ALTER TABLE seats DROP CONSTRAINT seat_state;
ALTER TABLE seats ADD CONSTRAINT seat_state CHECK (
    (status = 0 AND hold_id IS NULL AND hold_expires_at IS NULL) OR
    (status = 1 AND hold_id IS NOT NULL AND hold_expires_at IS NOT NULL) OR
    (status = 2 AND hold_id IS NOT NULL AND hold_expires_at IS NULL) OR
    (status = 3 AND hold_expires_at IS NULL));

-- One full refund per order, processed with the PSP (requested → succeeded; a PSP outage leaves it requested and the
-- worker tries again). seat_disposition says what happens to the seats: released for sale again, or voided.
CREATE TABLE refunds (
    id                uuid PRIMARY KEY,
    order_id          uuid NOT NULL UNIQUE REFERENCES orders (id),
    amount_minor      bigint NOT NULL CHECK (amount_minor >= 0),
    currency          char(3) NOT NULL,
    reason            text NOT NULL,
    initiated_by      text NOT NULL,
    seat_disposition  text NOT NULL CHECK (seat_disposition IN ('released', 'voided')),
    status            text NOT NULL CHECK (status IN ('requested', 'succeeded')),
    psp_refund_id     text,
    attempts          integer NOT NULL DEFAULT 0,
    last_error        text,
    created_at        timestamptz NOT NULL,
    completed_at      timestamptz
);
CREATE INDEX refunds_requested ON refunds (created_at) WHERE status = 'requested';

-- PSP events seen (webhook ids), for the record; each effect is idempotent on its own.
CREATE TABLE psp_events (
    id           text PRIMARY KEY,
    type         text NOT NULL,
    intent_id    text,
    received_at  timestamptz NOT NULL,
    outcome      text NOT NULL
);

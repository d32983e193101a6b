-- Passes: one payment for a set of events. A season pass is the same seat in every event of the pass: buying one holds
-- that seat in each event (one hold per event, all or nothing, in one transaction), and the captured payment sells every
-- hold in one transaction, one order per event with its share of the pass price. A flex pass (kind 'flex', credits) is
-- defined here for later redemption per event.
CREATE TABLE passes (
    id           uuid PRIMARY KEY,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind         text NOT NULL CHECK (kind IN ('season', 'flex')),
    price_minor  bigint NOT NULL CHECK (price_minor > 0),
    currency     char(3) NOT NULL,
    credits      integer CHECK (credits > 0),
    on_sale      boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL,
    CONSTRAINT pass_credits CHECK ((kind = 'flex') = (credits IS NOT NULL))
);

CREATE TABLE pass_events (
    pass_id   uuid NOT NULL REFERENCES passes (id),
    event_id  uuid NOT NULL REFERENCES events (id),
    PRIMARY KEY (pass_id, event_id)
);
CREATE INDEX pass_events_event ON pass_events (event_id);

CREATE TABLE pass_purchases (
    id                    uuid PRIMARY KEY,
    pass_id               uuid NOT NULL REFERENCES passes (id),
    customer_ref          text NOT NULL,
    customer_email        text,
    status                text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'paid', 'cancelled', 'expired')),
    expires_at            timestamptz NOT NULL,
    section               text,
    row_label             text,
    number                text,
    subtotal_minor        bigint NOT NULL CHECK (subtotal_minor >= 0),
    platform_fee_minor    bigint NOT NULL CHECK (platform_fee_minor >= 0),
    processing_fee_minor  bigint NOT NULL CHECK (processing_fee_minor >= 0),
    tax_minor             bigint NOT NULL CHECK (tax_minor >= 0),
    total_minor           bigint NOT NULL CHECK (total_minor = subtotal_minor + platform_fee_minor + processing_fee_minor + tax_minor),
    currency              char(3) NOT NULL,
    psp_intent_id         text UNIQUE,
    client_secret         text,
    created_at            timestamptz NOT NULL,
    paid_at               timestamptz,
    closed_at             timestamptz,
    CONSTRAINT pass_purchase_paid CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);
CREATE INDEX pass_purchases_pass ON pass_purchases (pass_id, created_at DESC);
CREATE INDEX pass_purchases_customer ON pass_purchases (customer_ref, created_at DESC);

-- a season purchase's hold in each event of its pass, and the order it became
CREATE TABLE pass_purchase_holds (
    purchase_id  uuid NOT NULL REFERENCES pass_purchases (id),
    event_id     uuid NOT NULL REFERENCES events (id),
    hold_id      uuid NOT NULL UNIQUE REFERENCES holds (id),
    seat_id      uuid NOT NULL,
    order_id     uuid REFERENCES orders (id),
    PRIMARY KEY (purchase_id, event_id)
);

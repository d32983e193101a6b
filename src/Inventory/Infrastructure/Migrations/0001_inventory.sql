-- Inventory core of one reseller database.
CREATE TABLE venues (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    city        text NOT NULL,
    country     text,
    address     text,
    created_at  timestamptz NOT NULL
);

CREATE TABLE events (
    id           uuid PRIMARY KEY,
    venue_id     uuid NOT NULL REFERENCES venues (id),
    name         text NOT NULL,
    type         text NOT NULL,
    performer    text,
    description  text,
    starts_at    timestamptz NOT NULL,
    seating      smallint NOT NULL CHECK (seating IN (0, 1)),   -- 0 reserved, 1 general admission
    currency     char(3) NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX events_starts_at ON events (starts_at, id);
CREATE INDEX events_type_starts_at ON events (type, starts_at);

CREATE TABLE ticket_classes (
    id           uuid PRIMARY KEY,
    event_id     uuid NOT NULL REFERENCES events (id),
    name         text NOT NULL,
    price_minor  bigint NOT NULL CHECK (price_minor >= 0),
    currency     char(3) NOT NULL,
    capacity     integer NOT NULL CHECK (capacity >= 0),
    UNIQUE (event_id, name)
);

-- Every sellable unit: a reserved seat, or one materialized general-admission ticket (no section/row/number).
-- A unit is available when status = 0, or when status = 1 and its hold has expired: expiry needs no job to take effect.
CREATE TABLE seats (
    id               uuid PRIMARY KEY,
    event_id         uuid NOT NULL REFERENCES events (id),
    class_id         uuid NOT NULL REFERENCES ticket_classes (id),
    ordinal          integer NOT NULL,
    section          text,
    row_label        text,
    number           text,
    price_minor      bigint NOT NULL CHECK (price_minor >= 0),
    status           smallint NOT NULL DEFAULT 0,               -- 0 available, 1 held, 2 sold
    hold_id          uuid,
    hold_expires_at  timestamptz,
    version          integer NOT NULL DEFAULT 0,
    UNIQUE (event_id, ordinal),
    UNIQUE (event_id, section, row_label, number),
    CONSTRAINT seat_state CHECK (
        (status = 0 AND hold_id IS NULL AND hold_expires_at IS NULL) OR
        (status = 1 AND hold_id IS NOT NULL AND hold_expires_at IS NOT NULL) OR
        (status = 2 AND hold_id IS NOT NULL AND hold_expires_at IS NULL))
);
CREATE INDEX seats_class_claim ON seats (class_id, ordinal) WHERE status <> 2;
CREATE INDEX seats_hold ON seats (hold_id) WHERE hold_id IS NOT NULL;

CREATE TABLE holds (
    id            uuid PRIMARY KEY,
    event_id      uuid NOT NULL REFERENCES events (id),
    customer_ref  text NOT NULL,
    status        smallint NOT NULL DEFAULT 0,                  -- 0 active, 1 confirmed, 2 cancelled, 3 expired
    expires_at    timestamptz NOT NULL,
    total_minor   bigint NOT NULL,
    currency      char(3) NOT NULL,
    created_at    timestamptz NOT NULL,
    closed_at     timestamptz,
    order_id      uuid
);
CREATE INDEX holds_active_expiry ON holds (expires_at) WHERE status = 0;
CREATE INDEX holds_customer ON holds (customer_ref, created_at DESC);

-- The seats of a hold at the price locked when they were held.
CREATE TABLE hold_items (
    hold_id      uuid NOT NULL REFERENCES holds (id),
    seat_id      uuid NOT NULL REFERENCES seats (id),
    class_id     uuid NOT NULL,
    price_minor  bigint NOT NULL,
    PRIMARY KEY (hold_id, seat_id)
);

CREATE TABLE orders (
    id                 uuid PRIMARY KEY,
    hold_id            uuid NOT NULL UNIQUE REFERENCES holds (id),
    event_id           uuid NOT NULL REFERENCES events (id),
    customer_ref       text NOT NULL,
    status             text NOT NULL DEFAULT 'confirmed',
    total_minor        bigint NOT NULL,
    currency           char(3) NOT NULL,
    payment_reference  text NOT NULL,
    created_at         timestamptz NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_ref, created_at DESC);

CREATE TABLE tickets (
    id           uuid PRIMARY KEY,
    order_id     uuid NOT NULL REFERENCES orders (id),
    event_id     uuid NOT NULL REFERENCES events (id),
    seat_id      uuid NOT NULL REFERENCES seats (id),
    class_id     uuid NOT NULL REFERENCES ticket_classes (id),
    price_minor  bigint NOT NULL,
    currency     char(3) NOT NULL,
    code         text NOT NULL UNIQUE,
    status       text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'void')),
    issued_at    timestamptz NOT NULL
);
-- The last line of defence: a seat can be sold once, whatever the code above it does.
CREATE UNIQUE INDEX tickets_one_valid_per_seat ON tickets (seat_id) WHERE status = 'valid';
CREATE INDEX tickets_order ON tickets (order_id);

-- State changes others must hear about, written in the same transaction as the change.
CREATE TABLE outbox (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic         text NOT NULL,
    aggregate_id  uuid NOT NULL,
    event_id      uuid,
    payload       jsonb NOT NULL,
    created_at    timestamptz NOT NULL,
    processed_at  timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE processed_at IS NULL;

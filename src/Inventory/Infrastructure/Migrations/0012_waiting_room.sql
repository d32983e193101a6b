-- Waiting rooms for high-demand events: buyers join a FIFO queue and are admitted at a controlled rate into a purchase
-- window; a hold on the event needs the admission token of an admitted, unused entry. Postgres is the source of truth,
-- so the queue survives restarts of the API and worker.
CREATE TABLE waiting_rooms (
    event_id           uuid PRIMARY KEY REFERENCES events (id),
    on_sale_at         timestamptz NOT NULL,
    admit_per_minute   integer NOT NULL CHECK (admit_per_minute BETWEEN 1 AND 100000),
    window_seconds     integer NOT NULL CHECK (window_seconds BETWEEN 30 AND 7200),    -- the purchase window after admission
    token_ttl_seconds  integer NOT NULL CHECK (token_ttl_seconds BETWEEN 10 AND 3600), -- life of one signed token (re-issued while the window lasts)
    enabled            boolean NOT NULL DEFAULT true,
    credit_at          timestamptz NOT NULL,                                           -- admissions are due for the time since then
    created_by         text NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

-- One place per customer and event; position is allocated at insertion, so the queue is first come, first served.
CREATE TABLE queue_entries (
    event_id          uuid NOT NULL REFERENCES waiting_rooms (event_id),
    position          bigint GENERATED ALWAYS AS IDENTITY,
    customer_ref      text NOT NULL,
    joined_at         timestamptz NOT NULL,
    admitted_at       timestamptz,
    token_id          uuid UNIQUE,
    token_expires_at  timestamptz,                       -- end of the purchase window
    used_at           timestamptz,
    hold_id           uuid,                              -- the hold the admission was used for
    PRIMARY KEY (event_id, position),
    UNIQUE (event_id, customer_ref),
    CONSTRAINT queue_entry_state CHECK (
        (admitted_at IS NULL AND token_id IS NULL AND token_expires_at IS NULL AND used_at IS NULL) OR
        (admitted_at IS NOT NULL AND token_id IS NOT NULL AND token_expires_at IS NOT NULL))
);
CREATE INDEX queue_entries_waiting ON queue_entries (event_id, position) WHERE admitted_at IS NULL;

-- Waitlists of sold-out classes: when units come back, the next entry is offered them as a short exclusive hold.
CREATE TABLE waitlist_entries (
    id                uuid PRIMARY KEY,
    event_id          uuid NOT NULL REFERENCES events (id),
    class_id          uuid NOT NULL REFERENCES ticket_classes (id),
    customer_ref      text NOT NULL,
    customer_email    text,
    quantity          integer NOT NULL CHECK (quantity BETWEEN 1 AND 4),
    position          bigint GENERATED ALWAYS AS IDENTITY,
    joined_at         timestamptz NOT NULL,
    status            text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'accepted', 'expired', 'left')),
    offered_at        timestamptz,
    offer_hold_id     uuid REFERENCES holds (id),
    offer_expires_at  timestamptz,
    closed_at         timestamptz
);
-- joining twice while waiting or offered is the same entry
CREATE UNIQUE INDEX waitlist_entries_open ON waitlist_entries (event_id, class_id, customer_ref) WHERE status IN ('waiting', 'offered');
CREATE INDEX waitlist_entries_next ON waitlist_entries (class_id, position) WHERE status = 'waiting';
CREATE INDEX waitlist_entries_offered ON waitlist_entries (offer_expires_at) WHERE status = 'offered';

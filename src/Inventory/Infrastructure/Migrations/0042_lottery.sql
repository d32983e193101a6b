-- Lotteries (seed 000 §3): instead of first come, first served, buyers register during a window; after it closes a
-- seeded draw ranks them, the first `winners` are admitted into a purchase window (an admitted queue entry, so the
-- hold path's admission check is the same as a waiting room's) and the others are told they lost. The seed is chosen
-- at creation and only its SHA-256 is shown until the draw; then the seed is published, and anyone can recompute the
-- ranking: entries ordered by sha256(seed || customer_ref).
ALTER TABLE waiting_rooms ADD COLUMN mode text NOT NULL DEFAULT 'queue' CHECK (mode IN ('queue', 'lottery'));

CREATE TABLE lotteries (
    event_id                uuid PRIMARY KEY REFERENCES events (id),
    registration_opens_at   timestamptz NOT NULL,
    registration_closes_at  timestamptz NOT NULL,
    winners                 integer NOT NULL CHECK (winners BETWEEN 1 AND 1000000),
    window_seconds          integer NOT NULL CHECK (window_seconds BETWEEN 60 AND 604800),
    seed                    bytea NOT NULL CHECK (length(seed) = 32),
    seed_sha256             bytea NOT NULL CHECK (length(seed_sha256) = 32),
    drawn_at                timestamptz,
    entries_at_draw         integer,
    created_by              text NOT NULL,
    created_at              timestamptz NOT NULL,
    CONSTRAINT lottery_window CHECK (registration_closes_at > registration_opens_at)
);
CREATE INDEX lotteries_due ON lotteries (registration_closes_at) WHERE drawn_at IS NULL;

CREATE TABLE lottery_entries (
    event_id        uuid NOT NULL REFERENCES lotteries (event_id),
    customer_ref    text NOT NULL,
    customer_email  text,
    registered_at   timestamptz NOT NULL,
    rank            integer,
    won             boolean,
    PRIMARY KEY (event_id, customer_ref),
    CONSTRAINT lottery_entry_drawn CHECK ((rank IS NULL) = (won IS NULL))
);

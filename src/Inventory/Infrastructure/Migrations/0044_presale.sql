-- Presales (seed 000 §3): before an event's general on-sale, holds are refused except inside a presale window, to
-- buyers with the window's code or, for a verified-fan window, to signed-in end users who registered for it.
ALTER TABLE events ADD COLUMN general_on_sale_at timestamptz;

CREATE TABLE presale_windows (
    id            uuid PRIMARY KEY,
    event_id      uuid NOT NULL REFERENCES events (id),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    code_sha256   bytea CHECK (code_sha256 IS NULL OR length(code_sha256) = 32),   -- a code window: only the code's hash is kept
    verified_fans boolean NOT NULL DEFAULT false,                                  -- a window for registered end users
    created_at    timestamptz NOT NULL,
    CONSTRAINT presale_window_time CHECK (ends_at > starts_at),
    CONSTRAINT presale_window_kind CHECK ((code_sha256 IS NOT NULL) <> verified_fans)
);
CREATE INDEX presale_windows_event ON presale_windows (event_id, starts_at);

CREATE TABLE presale_registrations (
    event_id       uuid NOT NULL REFERENCES events (id),
    customer_ref   text NOT NULL,
    registered_at  timestamptz NOT NULL,
    PRIMARY KEY (event_id, customer_ref)
);

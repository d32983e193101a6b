-- Transfers to another person by e-mail (seed 000 Q8): the owner names an address, the recipient gets a claim link that
-- expires after 7 days; claiming reissues the ticket to the recipient (TicketOwnership), the old code dies as
-- 'transferred'. Only the SHA-256 of the claim token is kept: the token itself is in the e-mail alone.
CREATE TABLE ticket_transfers (
    id             uuid PRIMARY KEY,
    ticket_id      uuid NOT NULL REFERENCES tickets (id),
    event_id       uuid NOT NULL REFERENCES events (id),
    from_ref       text NOT NULL,
    to_email       text NOT NULL,
    message        text,
    token_hash     bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    status         text NOT NULL CHECK (status IN ('pending', 'accepted', 'cancelled', 'expired')),
    expires_at     timestamptz NOT NULL,
    created_at     timestamptz NOT NULL,
    closed_at      timestamptz,
    accepted_by    text,
    new_ticket_id  uuid REFERENCES tickets (id),
    CONSTRAINT ticket_transfer_accepted CHECK ((status = 'accepted') = (new_ticket_id IS NOT NULL))
);
-- one open transfer per ticket (a pending one past its expiry is closed as expired before another starts)
CREATE UNIQUE INDEX ticket_transfers_pending ON ticket_transfers (ticket_id) WHERE status = 'pending';
CREATE INDEX ticket_transfers_from ON ticket_transfers (from_ref, created_at DESC);

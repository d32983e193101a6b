-- Support tickets between the reseller and the cell's support staff, kept in the reseller's own database. The ticket row
-- is the lock: a reply increments message_count and sets the status in one conditional UPDATE, and its message takes
-- the new count as its place in the thread, so replies and status changes are serialized on the row and none is lost.
CREATE TABLE support_tickets (
    id             uuid PRIMARY KEY,
    number         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    subject        text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 200),
    category       text NOT NULL CHECK (category IN ('general', 'billing', 'payments', 'events', 'orders', 'technical')),
    priority       text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status         text NOT NULL CHECK (status IN ('open', 'waiting_on_support', 'waiting_on_reseller', 'resolved', 'closed')),
    opened_by_kind text NOT NULL CHECK (opened_by_kind IN ('reseller', 'support')),
    opened_by      text NOT NULL,
    message_count  integer NOT NULL CHECK (message_count >= 0),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX support_tickets_by_status ON support_tickets (status, number DESC);

CREATE TABLE support_ticket_messages (
    id          uuid PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES support_tickets (id),
    seq         integer NOT NULL CHECK (seq >= 1),
    author_kind text NOT NULL CHECK (author_kind IN ('reseller', 'support')),
    author      text NOT NULL,
    body        text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 10000),
    created_at  timestamptz NOT NULL,
    UNIQUE (ticket_id, seq)
);

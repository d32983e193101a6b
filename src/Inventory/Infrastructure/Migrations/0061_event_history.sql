-- Changes of an event (PATCH /v1/events/{id}), each kept with the values before and after it. Before the first sale the
-- organizer may change anything the event was created with (the seat plan only while no seat was ever held); after it
-- only the start time and the description, and every ticket holder is told (order.event_changed → e-mail).
CREATE TABLE event_history (
    id                  uuid PRIMARY KEY,
    event_id            uuid NOT NULL REFERENCES events (id),
    changed_at          timestamptz NOT NULL,
    actor               text NOT NULL,
    fields              text[] NOT NULL,
    before              jsonb NOT NULL,
    after               jsonb NOT NULL,
    notified_orders     integer NOT NULL DEFAULT 0 CHECK (notified_orders >= 0)
);
CREATE INDEX event_history_event ON event_history (event_id, changed_at, id);

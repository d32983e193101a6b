-- Live seat updates read an event's outbox rows as a log (GET /v1/events/{id}/stream). Identity ids are handed out at
-- insert, not at commit, so a reader that only remembers "the last id" could skip a row of a slower transaction that
-- commits later with a smaller id. Each row therefore records its transaction id: readers take only rows of
-- transactions older than every running one (pg_snapshot_xmin) in (xid, id) order, a total order that new commits
-- can only extend.
ALTER TABLE outbox ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX outbox_event ON outbox (event_id, xid, id);

-- Check-in at the gate (seed 000): a valid ticket is admitted once. The scan is one conditional UPDATE
-- (checked_in_at IS NULL), so of two scanners on two replicas scanning the same ticket at the same moment one admits
-- and the other sees the first scan.
ALTER TABLE tickets
    ADD COLUMN checked_in_at  timestamptz,
    ADD COLUMN checked_in_by  text,
    ADD COLUMN check_in_gate  text;
-- an offline scanner's bundle: the tickets of an event that no longer admit (dead or already in)
CREATE INDEX tickets_event_not_admitting ON tickets (event_id) WHERE status <> 'valid' OR checked_in_at IS NOT NULL;

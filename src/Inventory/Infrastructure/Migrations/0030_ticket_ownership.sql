-- A ticket has an owner: the order's customer when it is sold, someone else after a resale or a transfer. Ownership
-- moves by reissue (TicketOwnership): in one transaction the old ticket dies with a status that says why ('resold',
-- 'transferred': a scan can tell a dead code from a forged one) and a new ticket with a new code is issued for the same
-- seat to the new owner. tickets_one_valid_per_seat (0001) stays the last line of defence: one valid ticket per seat.
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_status_check CHECK (status IN ('valid', 'void', 'resold', 'transferred'));
ALTER TABLE tickets
    ADD COLUMN owner_ref          text,
    ADD COLUMN owner_email        text,
    ADD COLUMN origin             text NOT NULL DEFAULT 'sale' CHECK (origin IN ('sale', 'resale', 'transfer')),
    ADD COLUMN previous_ticket_id uuid REFERENCES tickets (id),
    ADD COLUMN replaced_by        uuid,
    ADD COLUMN replaced_at        timestamptz;
UPDATE tickets t SET owner_ref = o.customer_ref, owner_email = o.customer_email FROM orders o WHERE o.id = t.order_id;

-- A ticket issued without an owner belongs to its order's customer.
CREATE FUNCTION tickets_default_owner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.owner_ref IS NULL THEN
        SELECT o.customer_ref, coalesce(NEW.owner_email, o.customer_email) INTO NEW.owner_ref, NEW.owner_email
        FROM orders o WHERE o.id = NEW.order_id;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER tickets_default_owner BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_default_owner();
ALTER TABLE tickets ALTER COLUMN owner_ref SET NOT NULL;
ALTER TABLE tickets ADD CONSTRAINT tickets_replaced CHECK ((status IN ('resold', 'transferred')) = (replaced_by IS NOT NULL));
CREATE INDEX tickets_owner ON tickets (owner_ref, issued_at DESC);
CREATE UNIQUE INDEX tickets_previous ON tickets (previous_ticket_id) WHERE previous_ticket_id IS NOT NULL;

-- The organizer may forbid resale or transfers of an event's tickets (where the jurisdiction allows them at all).
ALTER TABLE events
    ADD COLUMN resale_allowed    boolean NOT NULL DEFAULT true,
    ADD COLUMN transfers_allowed boolean NOT NULL DEFAULT true;

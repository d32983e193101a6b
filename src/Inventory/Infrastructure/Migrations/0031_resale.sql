-- The resale marketplace (seed 000 §2): an owner lists a valid ticket at an asking price (capped by the jurisdiction's
-- rule when listed); a buyer holds the listing and pays through the same hold -> payment -> confirm path as a primary
-- sale; the sale reissues the ticket to the buyer (TicketOwnership) and posts the platform's commission and the seller's
-- payout to the ledger.
CREATE TABLE resale_listings (
    id               uuid PRIMARY KEY,
    ticket_id        uuid NOT NULL REFERENCES tickets (id),
    event_id         uuid NOT NULL REFERENCES events (id),
    seat_id          uuid NOT NULL REFERENCES seats (id),
    class_id         uuid NOT NULL REFERENCES ticket_classes (id),
    seller_ref       text NOT NULL,
    face_minor       bigint NOT NULL CHECK (face_minor >= 0),
    asking_minor     bigint NOT NULL CHECK (asking_minor > 0),
    cap_percent      integer NOT NULL CHECK (cap_percent > 0),
    currency         char(3) NOT NULL,
    status           text NOT NULL CHECK (status IN ('listed', 'sold', 'withdrawn')),
    -- a buyer's hold on the listing: claimed by one conditional update, free again once it expires (no job needed)
    hold_id          uuid,
    hold_expires_at  timestamptz,
    order_id         uuid REFERENCES orders (id),
    created_at       timestamptz NOT NULL,
    closed_at        timestamptz,
    CONSTRAINT resale_listing_capped CHECK (asking_minor * 100 <= face_minor * cap_percent),
    CONSTRAINT resale_listing_hold CHECK ((hold_id IS NULL) = (hold_expires_at IS NULL)),
    CONSTRAINT resale_listing_sold CHECK ((status = 'sold') = (order_id IS NOT NULL))
);
-- one open listing per ticket
CREATE UNIQUE INDEX resale_listings_open_ticket ON resale_listings (ticket_id) WHERE status = 'listed';
CREATE INDEX resale_listings_event ON resale_listings (event_id, asking_minor) WHERE status = 'listed';
CREATE INDEX resale_listings_seller ON resale_listings (seller_ref, created_at DESC);

-- A resale buyer's hold names its listing, and so does the order it becomes.
ALTER TABLE holds ADD COLUMN listing_id uuid REFERENCES resale_listings (id);
ALTER TABLE orders ADD COLUMN listing_id uuid REFERENCES resale_listings (id);
CREATE UNIQUE INDEX orders_listing ON orders (listing_id) WHERE listing_id IS NOT NULL;

-- The ledger: a resale (source: the order id) credits the seller what the platform owes them (seller_payable) and the
-- platform's commission (platform_fees).
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_check;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_check
    CHECK (kind IN ('sale', 'refund', 'fraud_reserve', 'chargeback', 'payout', 'resale'));
ALTER TABLE journal_lines DROP CONSTRAINT journal_lines_account_check;
ALTER TABLE journal_lines ADD CONSTRAINT journal_lines_account_check CHECK (account IN
    ('psp_clearing', 'reseller_payable', 'reseller_reserve', 'platform_fees', 'processing_fees_payable', 'tax_payable', 'seller_payable'));

-- Vouchers (promo codes) of an event, optionally of one class: a percentage off, a fixed amount off the hold, or one
-- ticket free. A hold redeems a voucher inside its claim (ClaimSql.Voucher): the voucher row is locked first, so the
-- claim's count of the voucher's uses (redemptions whose hold is live or confirmed) is exact, and a lapsed or released
-- hold gives its use back without any job. Nothing here is a counter to trust: uses are derived from the holds.
CREATE TABLE vouchers (
    id                     uuid PRIMARY KEY,
    event_id               uuid NOT NULL REFERENCES events (id),
    class_id               uuid REFERENCES ticket_classes (id),
    code                   text NOT NULL CHECK (code ~ '^[A-Z0-9_-]{3,40}$'),
    kind                   text NOT NULL CHECK (kind IN ('percentage', 'fixed_amount', 'free_ticket')),
    percent_off            integer CHECK (percent_off BETWEEN 1 AND 100),
    amount_off_minor       bigint CHECK (amount_off_minor > 0),
    valid_from             timestamptz,
    valid_until            timestamptz,
    max_uses               integer CHECK (max_uses > 0),
    max_uses_per_customer  integer CHECK (max_uses_per_customer > 0),
    disabled_at            timestamptz,
    created_at             timestamptz NOT NULL,
    UNIQUE (event_id, code),
    CONSTRAINT voucher_amount CHECK (
        (kind = 'percentage' AND percent_off IS NOT NULL AND amount_off_minor IS NULL) OR
        (kind = 'fixed_amount' AND amount_off_minor IS NOT NULL AND percent_off IS NULL) OR
        (kind = 'free_ticket' AND percent_off IS NULL AND amount_off_minor IS NULL)),
    CONSTRAINT voucher_window CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until)
);

-- One redemption per hold; it counts while its hold is live (active, unexpired) or confirmed.
CREATE TABLE voucher_redemptions (
    hold_id        uuid PRIMARY KEY REFERENCES holds (id),
    voucher_id     uuid NOT NULL REFERENCES vouchers (id),
    customer_ref   text NOT NULL,
    discount_minor bigint NOT NULL CHECK (discount_minor >= 0),
    created_at     timestamptz NOT NULL
);
CREATE INDEX voucher_redemptions_voucher ON voucher_redemptions (voucher_id, customer_ref);

-- The discount as the hold, its items, the order and its tickets carry it: price_minor stays what is paid (after the
-- discount), discount_minor is what the voucher took off it.
ALTER TABLE holds ADD COLUMN discount_minor bigint NOT NULL DEFAULT 0 CHECK (discount_minor >= 0);
ALTER TABLE hold_items ADD COLUMN discount_minor bigint NOT NULL DEFAULT 0 CHECK (discount_minor >= 0);
ALTER TABLE orders ADD COLUMN discount_minor bigint NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
                   ADD COLUMN voucher_id uuid REFERENCES vouchers (id);
ALTER TABLE tickets ADD COLUMN discount_minor bigint NOT NULL DEFAULT 0 CHECK (discount_minor >= 0);

-- The ledger's discount dimension: a sale's discount is a debit line on reseller_payable (the reseller grants it) that
-- names the voucher.
ALTER TABLE journal_lines ADD COLUMN voucher_id uuid;

-- Flex passes: a paid flex purchase has credits_left credits, each redeemed for one ticket of one event of its pass
-- (at most one per event), sold in one transaction with the claim, for the per-credit share of the price.
ALTER TABLE pass_purchases ADD COLUMN credits_left integer CHECK (credits_left >= 0);

CREATE TABLE pass_redemptions (
    purchase_id  uuid NOT NULL REFERENCES pass_purchases (id),
    event_id     uuid NOT NULL REFERENCES events (id),
    hold_id      uuid NOT NULL UNIQUE REFERENCES holds (id),
    order_id     uuid NOT NULL REFERENCES orders (id),
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (purchase_id, event_id)
);

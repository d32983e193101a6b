-- Dynamic pricing. An event opts in (dynamic_pricing) and may cap its price (dynamic_price_max_percent of face value);
-- the worker writes each opted-in event's multiplier (basis points: 10000 = face value) from its demand score. A claim
-- applies it, clamped again to the jurisdiction's range and the event's cap, and records what it applied: the hold's
-- multiplier and each item's face value beside the price it locked.
ALTER TABLE events
    ADD COLUMN dynamic_pricing           boolean NOT NULL DEFAULT false,
    ADD COLUMN dynamic_price_max_percent integer CHECK (dynamic_price_max_percent BETWEEN 100 AND 1000);

CREATE TABLE event_prices (
    event_id       uuid PRIMARY KEY REFERENCES events (id),
    multiplier_bp  integer NOT NULL CHECK (multiplier_bp > 0),
    demand_score   numeric NOT NULL,
    views          bigint NOT NULL,
    holds          bigint NOT NULL,
    sales          bigint NOT NULL,
    computed_at    timestamptz NOT NULL
);

ALTER TABLE holds ADD COLUMN price_multiplier_bp integer NOT NULL DEFAULT 10000;
-- null on items held before dynamic pricing: their price is the face value
ALTER TABLE hold_items ADD COLUMN base_price_minor bigint;

-- A reseller's own rules where its cell lets it choose (null: the cell's rule applies). Operators set them at run time
-- (PUT /v1/admin/resellers/{id}/rules); the API reads them with a few seconds' cache, so no restart is needed.
CREATE TABLE reseller_rules (
    reseller_id               text PRIMARY KEY REFERENCES resellers (id) ON DELETE CASCADE,
    guest_checkout            boolean,
    resale_allowed            boolean,
    resale_price_cap_percent  integer CHECK (resale_price_cap_percent BETWEEN 0 AND 1000),
    dynamic_pricing_allowed   boolean,
    updated_at                timestamptz NOT NULL DEFAULT now()
);

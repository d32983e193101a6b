-- The deliverer claims each endpoint's oldest due deliveries up to that endpoint's free share of the reseller's sending
-- slots (one index probe per endpoint; endpoints per reseller are capped), so one hanging endpoint cannot take them all.
CREATE INDEX webhook_deliveries_endpoint_due ON webhook_deliveries (endpoint_id, next_attempt_at) WHERE status = 'pending';

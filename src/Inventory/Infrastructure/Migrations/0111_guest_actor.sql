-- A guest buyer of a reseller's storefront (the identity service's guest grant: no account, a random subject per
-- checkout session) acts through the API like an end user and is audited as 'guest'.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_kind_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_kind_check
    CHECK (actor_kind IN ('anonymous', 'integrator', 'customer', 'guest', 'staff'));

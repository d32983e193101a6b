-- Who may sign in to a console with an account of this table. In a reseller's database: 'admin', the reseller's own
-- administrators (the reseller console, with the integrator's scopes). In the cell catalog (the platform issuer's
-- accounts): 'support' (the support console) and 'operator' (support and cell administration). Null: an end user only.
ALTER TABLE users ADD COLUMN console_role text CHECK (console_role IN ('admin', 'support', 'operator'));

-- Invitations to a reseller's console: the owner of the address opens the e-mailed link and becomes an administrator
-- (a new account with the password chosen there, or an existing account of that address, proven by its password).
-- Only the link token's SHA-256 is stored.
CREATE TABLE console_invitations (
    token_hash        bytea PRIMARY KEY,
    email             text NOT NULL,
    email_normalized  text NOT NULL CHECK (email_normalized = lower(email_normalized)),
    role              text NOT NULL CHECK (role IN ('admin')),
    invited_by        text NOT NULL,
    console_url       text NOT NULL,                -- where the administrator signs in afterwards
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    accepted_at       timestamptz
);
CREATE INDEX console_invitations_email ON console_invitations (email_normalized);

-- Failed sign-ins per e-mail address, whether an account has it or not: an unknown address is counted and locked
-- exactly like a known one, so neither the answers nor the lock tell which addresses have accounts. The check and the
-- count are one statement (LoginThrottle.TryReserveAsync); a lock stops new sign-ins only, never existing sessions.
CREATE TABLE login_throttle (
    email_normalized text PRIMARY KEY,
    failures         integer NOT NULL,              -- attempts since the last success, counted before the password is checked
    locked_until     timestamptz,                   -- no attempt is evaluated before this
    updated_at       timestamptz NOT NULL
);
CREATE INDEX login_throttle_updated ON login_throttle (updated_at);

INSERT INTO login_throttle (email_normalized, failures, locked_until, updated_at)
    SELECT email_normalized, failed_logins, locked_until, coalesce(last_login_at, created_at) FROM users WHERE failed_logins > 0;
ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until;

-- Registrations waiting for the owner of the address to follow the link of the e-mail (and enter the password again).
-- Nothing else sees them: an address without an account looks the same with or without a pending registration.
CREATE TABLE pending_registrations (
    token_hash       bytea PRIMARY KEY,             -- SHA-256 of the link's token (the token itself is only in the e-mail)
    email            text NOT NULL,
    email_normalized text NOT NULL CHECK (email_normalized = lower(email_normalized)),
    display_name     text,
    password_hash    text NOT NULL,                 -- PHC string, as users.password_hash
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL
);
CREATE INDEX pending_registrations_expires ON pending_registrations (expires_at);

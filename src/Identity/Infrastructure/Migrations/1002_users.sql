-- End-user accounts of one reseller (its storefront's customers). They exist only in their reseller's database.
CREATE TABLE users (
    id                uuid PRIMARY KEY,
    email             text NOT NULL,
    email_normalized  text NOT NULL UNIQUE CHECK (email_normalized = lower(email_normalized)),
    display_name      text,
    password_hash     text NOT NULL,                 -- PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash
    created_at        timestamptz NOT NULL,
    last_login_at     timestamptz,
    failed_logins     integer NOT NULL DEFAULT 0,    -- consecutive failures since the last success
    locked_until      timestamptz                    -- no login before this (brute-force throttling)
);

-- Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) on the purchase endpoints: the first request with a key
-- claims it (completed_at NULL while it runs); its answer is stored so a retry with the same key and body gets the same
-- answer. Keys are scoped per caller (kind:subject); the reseller is implicit in the database. Kept 24 hours.
CREATE TABLE idempotency_keys (
    actor          text NOT NULL,
    key            text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    method         text NOT NULL,
    path           text NOT NULL,
    request_hash   bytea NOT NULL,                   -- SHA-256 of the request body
    status         smallint,
    content_type   text,
    location       text,
    response_body  bytea,
    created_at     timestamptz NOT NULL,
    completed_at   timestamptz,
    expires_at     timestamptz NOT NULL,
    PRIMARY KEY (actor, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- The abuse guard: accounts blocked from new holds (hold-without-confirm), the source of truth; Redis only caches them.
CREATE TABLE account_blocks (
    customer_ref  text PRIMARY KEY,
    reason        text NOT NULL,
    blocked_at    timestamptz NOT NULL,
    blocked_until timestamptz NOT NULL
);


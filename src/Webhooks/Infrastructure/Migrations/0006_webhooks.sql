-- Events to resellers (Standard Webhooks) and e-mails to end users, fed by the outbox (0001). The dispatcher turns each
-- outbox row, in one transaction, into a message, one delivery per subscribed endpoint and the mail jobs it calls for.
CREATE TABLE webhook_endpoints (
    id               uuid PRIMARY KEY,
    url              text NOT NULL,
    description      text,
    event_types      text[] NOT NULL DEFAULT '{}',              -- empty: every event type
    enabled          boolean NOT NULL DEFAULT true,
    disabled_reason  text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- Signing secrets: the current one has no expiry; a rotated-out one signs on until expires_at, so receivers can switch.
CREATE TABLE webhook_secrets (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id  uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    secret       text NOT NULL,                                  -- whsec_<base64 of 32 random bytes>
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz
);
CREATE INDEX webhook_secrets_endpoint ON webhook_secrets (endpoint_id, created_at DESC);
CREATE UNIQUE INDEX webhook_secrets_one_current ON webhook_secrets (endpoint_id) WHERE expires_at IS NULL;

-- One per outbox row; the id is the webhook-id header, the same on every attempt and replay.
CREATE TABLE webhook_messages (
    id          text PRIMARY KEY,                                -- msg_<uuid v7, hex>
    outbox_id   bigint NOT NULL UNIQUE,
    event_type  text NOT NULL,
    payload     jsonb NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX webhook_messages_type_created ON webhook_messages (event_type, created_at DESC);
CREATE INDEX webhook_messages_created ON webhook_messages (created_at DESC);

CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    message_id       text NOT NULL REFERENCES webhook_messages (id),
    endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead', 'disabled')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,                       -- while pending: when due (or when a claim's lease runs out)
    last_status      integer,
    last_error       text,
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz,
    UNIQUE (message_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC);

CREATE TABLE webhook_attempts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    at           timestamptz NOT NULL,
    status_code  integer,
    duration_ms  integer NOT NULL,
    error        text
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, at);

-- E-mails to end users waiting to be rendered and handed to the e-mail sender.
CREATE TABLE mail_jobs (
    id               uuid PRIMARY KEY,
    outbox_id        bigint NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('order_confirmation', 'refund_processed', 'fraud_hold')),
    to_address       text NOT NULL,
    order_id         uuid,
    payload          jsonb NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    created_at       timestamptz NOT NULL,
    sent_at          timestamptz,
    UNIQUE (outbox_id, kind)
);
CREATE INDEX mail_jobs_due ON mail_jobs (next_attempt_at) WHERE status = 'pending';

-- What the local e-mail sender "sent": the reseller's mailbox, readable through the API.
CREATE TABLE mailbox (
    id           uuid PRIMARY KEY,
    mail_job_id  uuid NOT NULL UNIQUE,
    kind         text NOT NULL,
    from_address text NOT NULL,
    to_address   text NOT NULL,
    subject      text NOT NULL,
    text_body    text NOT NULL,
    html_body    text,
    order_id     uuid,
    created_at   timestamptz NOT NULL
);
CREATE INDEX mailbox_to_created ON mailbox (to_address, created_at DESC);
CREATE INDEX mailbox_created ON mailbox (created_at DESC);

-- The cell catalog: which resellers live in this cell and the names of their storage. No business data.
CREATE TABLE resellers (
    id             text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name           text NOT NULL,
    cell           text NOT NULL,
    database_name  text NOT NULL UNIQUE,
    redis_name     text NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reseller_hosts (
    host         text PRIMARY KEY CHECK (host = lower(host)),
    reseller_id  text NOT NULL REFERENCES resellers (id) ON DELETE CASCADE
);

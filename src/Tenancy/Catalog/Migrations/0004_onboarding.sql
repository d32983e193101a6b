-- Reseller onboarding and offboarding at run time (docs/onboarding.md). A reseller either comes from the cell file
-- (origin cell_file, its Redis and database password passed by the AppHost) or was onboarded through the operator API
-- (origin onboarded: its own Redis server's endpoint is recorded here, its database password is derived from the cell's
-- onboarding key, so no secret is stored in the catalog).
ALTER TABLE resellers
    ADD COLUMN origin text NOT NULL DEFAULT 'cell_file' CHECK (origin IN ('cell_file', 'onboarded')),
    ADD COLUMN redis_endpoint text;

-- Billing information of a reseller (onboarded ones; exported on offboarding, then removed with the reseller).
CREATE TABLE reseller_billing (
    reseller_id     text PRIMARY KEY REFERENCES resellers (id) ON DELETE CASCADE,
    legal_name      text NOT NULL,
    address         jsonb NOT NULL,
    tax_id          text NOT NULL,
    payout_iban     text NOT NULL,
    payout_bic      text,
    account_holder  text NOT NULL,
    contact_email   text,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- One onboarding or offboarding run of the cell's provisioner, with its steps (the operator API shows them).
CREATE TABLE provisioning_jobs (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reseller_id       text NOT NULL CHECK (reseller_id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    kind              text NOT NULL CHECK (kind IN ('onboard', 'offboard')),
    state             text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'completed', 'failed')),
    request           jsonb NOT NULL,
    -- the integrator client's secret, encrypted with a key derived from the cell's onboarding key, only until the
    -- provisioner registered the client (the operator saw the clear text once, in the answer that created the job)
    secret_ciphertext bytea,
    steps             jsonb NOT NULL DEFAULT '[]',
    error             text,
    export_path       text,
    export_bytes      bigint,
    export_sha256     text,
    requested_by      text NOT NULL,
    requested_at      timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    completed_at      timestamptz,
    attempts          integer NOT NULL DEFAULT 0
);
-- at most one run in progress per reseller id (a second POST or DELETE meanwhile is a 409)
CREATE UNIQUE INDEX provisioning_jobs_one_active ON provisioning_jobs (reseller_id) WHERE state IN ('pending', 'running');
CREATE INDEX provisioning_jobs_reseller ON provisioning_jobs (reseller_id, id DESC);

-- Hosts taken by an onboarding in progress, so two requests cannot claim the same host before either is active.
CREATE TABLE reserved_hosts (
    host     text PRIMARY KEY CHECK (host = lower(host)),
    job_id   bigint NOT NULL REFERENCES provisioning_jobs (id) ON DELETE CASCADE
);

-- Prospective resellers' self-registrations; an operator approves (which starts an onboarding) or rejects them.
CREATE TABLE reseller_applications (
    id             uuid PRIMARY KEY,
    reseller_id    text NOT NULL,
    name           text NOT NULL,
    request        jsonb NOT NULL,
    contact_email  text NOT NULL,
    state          text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    client_ip      text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    decided_by     text,
    decided_at     timestamptz,
    decision_note  text,
    job_id         bigint REFERENCES provisioning_jobs (id)
);
CREATE INDEX reseller_applications_state ON reseller_applications (state, created_at);
CREATE INDEX reseller_applications_ip ON reseller_applications (client_ip, created_at);

-- Every cell-level operator action (onboarding, offboarding, applications, rules), written before it runs.
CREATE TABLE operator_audit (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL,
    subject      text,
    client_id    text,
    action       text NOT NULL,
    method       text NOT NULL,
    path         text NOT NULL,
    resource_id  text,
    status       integer,
    client_ip    text,
    trace_id     text
);

-- A counter every change of resellers or hosts bumps: services poll it every few seconds and reload the catalog only
-- when it moved, so a new reseller is served within seconds without reading every reseller every few seconds.
CREATE TABLE catalog_version (
    id       boolean PRIMARY KEY DEFAULT true CHECK (id),
    version  bigint NOT NULL
);
INSERT INTO catalog_version (version) VALUES (1);

CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_version SET version = version + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER resellers_changed AFTER INSERT OR UPDATE OR DELETE ON resellers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER reseller_hosts_changed AFTER INSERT OR UPDATE OR DELETE ON reseller_hosts
    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();

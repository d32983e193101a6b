-- Who did what to which resource, when, from which client: every write through the API and every action of platform
-- staff, in the reseller's own database. Append-only: rows are never deleted or rewritten (retention jobs aside; a staff
-- action's row gets its status once the action finished).
CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL,
    actor_kind   text NOT NULL CHECK (actor_kind IN ('anonymous', 'integrator', 'customer', 'staff')),
    subject      text,                    -- client id, end-user id or staff client id
    client_id    text,                    -- the OAuth client the token was issued to
    action       text NOT NULL,           -- the endpoint's name: CreateHold, ConfirmHold, …
    method       text NOT NULL,
    path         text NOT NULL,
    resource_id  text,                    -- the id in the route, or of what was created
    status       integer,                 -- the HTTP status answered (staff actions are recorded before they run, the status after)
    client_ip    text,
    trace_id     text
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_resource ON audit_log (resource_id, at DESC) WHERE resource_id IS NOT NULL;

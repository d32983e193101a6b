-- A refund the PSP refuses for good (a 4xx: the reason too long, the charge already refunded, ...) is 'failed', with the
-- PSP's code and message, instead of staying requested forever; one the PSP did not answer waits until next_attempt_at
-- (backoff), so the worker's query moves on to the refunds behind it. A failed refund asked for again is sent with a
-- new idempotency key (refund-<id>-<resubmissions>): the PSP did nothing for the refused one.
ALTER TABLE refunds DROP CONSTRAINT refunds_status_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_status_check CHECK (status IN ('requested', 'succeeded', 'failed'));
ALTER TABLE refunds
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN failure_code    text,
    ADD COLUMN failed_at       timestamptz,
    ADD COLUMN resubmissions   integer NOT NULL DEFAULT 0;
UPDATE refunds SET next_attempt_at = created_at WHERE status = 'requested';
ALTER TABLE refunds ADD CONSTRAINT refunds_requested_due CHECK (status <> 'requested' OR next_attempt_at IS NOT NULL);
DROP INDEX refunds_requested;
CREATE INDEX refunds_due ON refunds (next_attempt_at) WHERE status = 'requested';

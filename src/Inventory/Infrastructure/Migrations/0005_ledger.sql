-- The reseller's double-entry ledger (docs/payments.md §4): append-only, every entry balanced, each fact posted once.
CREATE TABLE journal_entries (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('sale', 'refund', 'fraud_reserve', 'chargeback', 'payout')),
    source_id    text NOT NULL CHECK (length(source_id) BETWEEN 1 AND 200),
    order_id     uuid,
    event_id     uuid,
    currency     char(3) NOT NULL,
    occurred_at  timestamptz NOT NULL,
    memo         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, source_id)
);
CREATE INDEX journal_entries_occurred ON journal_entries (occurred_at, id);
CREATE INDEX journal_entries_order ON journal_entries (order_id) WHERE order_id IS NOT NULL;

CREATE TABLE journal_lines (
    entry_id      uuid NOT NULL REFERENCES journal_entries (id),
    line_no       integer NOT NULL,
    account       text NOT NULL CHECK (account IN
                      ('psp_clearing', 'reseller_payable', 'reseller_reserve', 'platform_fees', 'processing_fees_payable', 'tax_payable')),
    debit_minor   bigint NOT NULL CHECK (debit_minor >= 0),
    credit_minor  bigint NOT NULL CHECK (credit_minor >= 0),
    class_id      uuid,
    event_id      uuid,                                          -- the entry's event, copied for per-event reports
    quantity      integer NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    PRIMARY KEY (entry_id, line_no),
    CONSTRAINT journal_line_one_side CHECK ((debit_minor > 0) <> (credit_minor > 0))
);
CREATE INDEX journal_lines_account_event ON journal_lines (account, event_id);
CREATE INDEX journal_lines_class ON journal_lines (class_id) WHERE class_id IS NOT NULL;

-- Corrections are new entries: nothing posted is ever changed or removed.
CREATE FUNCTION journal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation', HINT = 'post a correcting entry instead';
END;
$$;
CREATE TRIGGER journal_entries_immutable BEFORE UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION journal_refuse_change();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
    FOR EACH STATEMENT EXECUTE FUNCTION journal_refuse_change();
CREATE TRIGGER journal_lines_immutable BEFORE UPDATE OR DELETE ON journal_lines
    FOR EACH ROW EXECUTE FUNCTION journal_refuse_change();
CREATE TRIGGER journal_lines_no_truncate BEFORE TRUNCATE ON journal_lines
    FOR EACH STATEMENT EXECUTE FUNCTION journal_refuse_change();

-- At commit: an entry has at least two lines and its debits equal its credits. Fired for the entry itself (an entry
-- without lines) and for every line (lines added to an entry afterwards).
CREATE FUNCTION journal_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry uuid;
    lines bigint;
    debits numeric;
    credits numeric;
BEGIN
    IF TG_TABLE_NAME = 'journal_entries' THEN
        entry := NEW.id;
    ELSE
        entry := NEW.entry_id;
    END IF;
    SELECT count(*), coalesce(sum(debit_minor), 0), coalesce(sum(credit_minor), 0) INTO lines, debits, credits
    FROM journal_lines WHERE entry_id = entry;
    IF lines < 2 THEN
        RAISE EXCEPTION 'journal entry % has % line(s); at least two are required', entry, lines USING ERRCODE = 'check_violation';
    END IF;
    IF debits <> credits THEN
        RAISE EXCEPTION 'journal entry % is unbalanced: debits % <> credits %', entry, debits, credits USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT ON journal_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_check_balanced();
CREATE CONSTRAINT TRIGGER journal_lines_balanced AFTER INSERT ON journal_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_check_balanced();

-- One payout per event and day; its journal entry's source is the payout id.
CREATE TABLE payouts (
    id             uuid PRIMARY KEY,
    event_id       uuid NOT NULL,
    run_date       date NOT NULL,
    amount_minor   bigint NOT NULL CHECK (amount_minor > 0),
    currency       char(3) NOT NULL,
    created_at     timestamptz NOT NULL,
    UNIQUE (event_id, run_date)
);

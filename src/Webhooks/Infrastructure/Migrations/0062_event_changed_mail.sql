-- The e-mail that tells a ticket holder what changed about their event (order.event_changed).
ALTER TABLE mail_jobs DROP CONSTRAINT mail_jobs_kind_check;
ALTER TABLE mail_jobs ADD CONSTRAINT mail_jobs_kind_check CHECK (kind IN ('order_confirmation', 'refund_processed', 'fraud_hold', 'transfer_offer', 'lottery_result', 'event_changed'));

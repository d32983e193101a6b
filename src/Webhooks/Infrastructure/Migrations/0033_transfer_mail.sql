-- The e-mail that sends a transferred ticket's claim token to its recipient (ticket.transfer_offered).
ALTER TABLE mail_jobs DROP CONSTRAINT mail_jobs_kind_check;
ALTER TABLE mail_jobs ADD CONSTRAINT mail_jobs_kind_check CHECK (kind IN ('order_confirmation', 'refund_processed', 'fraud_hold', 'transfer_offer'));

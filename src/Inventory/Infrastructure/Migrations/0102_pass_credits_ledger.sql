-- The ledger of flex passes: a paid flex purchase (source: the purchase id) is money received for tickets not chosen
-- yet, Dr psp_clearing / Cr unredeemed_credits; each redemption's sale then debits unredeemed_credits instead of
-- psp_clearing, so what the reseller will make appears credit by credit, and the money is in the ledger from the start.
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_check;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_check
    CHECK (kind IN ('sale', 'refund', 'fraud_reserve', 'chargeback', 'payout', 'resale', 'pass_credits'));
ALTER TABLE journal_lines DROP CONSTRAINT journal_lines_account_check;
ALTER TABLE journal_lines ADD CONSTRAINT journal_lines_account_check CHECK (account IN
    ('psp_clearing', 'reseller_payable', 'reseller_reserve', 'platform_fees', 'processing_fees_payable', 'tax_payable', 'seller_payable',
     'unredeemed_credits'));

-- A reseller may turn transfers off where its cell allows them (null: the cell's rule).
ALTER TABLE reseller_rules ADD COLUMN transfers_allowed boolean;

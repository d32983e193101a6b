-- Why a waitlist entry closed without a purchase: its offer lapsed or was cancelled, or the worker skipped it because no hold could be
-- made for it (an address a hold refuses, the customer at the purchase limit), so that one entry never stops the line.
ALTER TABLE waitlist_entries
    ADD COLUMN closed_reason text,
    ADD COLUMN closed_detail text;
UPDATE waitlist_entries w SET closed_reason = CASE WHEN h.status = 2 THEN 'offer_cancelled' ELSE 'offer_lapsed' END
FROM holds h WHERE h.id = w.offer_hold_id AND w.status = 'expired';

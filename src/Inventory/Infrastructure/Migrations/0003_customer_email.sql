-- Guest checkout: a hold (and the order it becomes) may carry the buyer's e-mail address; signed-in end users have theirs
-- from their account.
ALTER TABLE holds ADD COLUMN customer_email text;
ALTER TABLE orders ADD COLUMN customer_email text;

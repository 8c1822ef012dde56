-- 0008: what a buyer agreed to when ordering, kept with the order as evidence: the terms
-- (§ 312i BGB; the order button, § 312j(3) BGB) and, for a consumer, the express request that
-- the service begin before the withdrawal period ends, acknowledging that a withdrawal then owes
-- the value of what was provided (§ 356(4), § 357a(2) BGB). And whether the quote was for a
-- business or a consumer, which decides what was owed. Columns only added, so the release
-- before this one runs unchanged beside it.
ALTER TABLE orders ADD COLUMN customer_type text CHECK (customer_type IN ('business', 'consumer'));
ALTER TABLE orders ADD COLUMN terms_accepted_at timestamptz;
ALTER TABLE orders ADD COLUMN early_performance_requested_at timestamptz;

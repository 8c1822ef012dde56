-- 0013: the VAT rate a running subscription is charged at Stripe when it is no longer the
-- order's (null: the order's tax_rate_bps). billing.follow_vat_rates sets it when the dated rate
-- table changes a country's rate before the subscription's next renewal.
ALTER TABLE subscriptions ADD COLUMN tax_rate_bps integer
  CHECK (tax_rate_bps BETWEEN 0 AND 10000);

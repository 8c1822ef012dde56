-- 0012: discounts in whole percents. With catalog prices in whole euros (checked when a catalog
-- is imported), a whole-percent discount of any line is a whole number of cents: no rounding,
-- so Stripe's discount of the same lines is the same however it spreads it (docs/pricing.md,
-- "Rounding"). Every code so far is a whole percent.
ALTER TABLE coupons ADD CONSTRAINT coupons_whole_percent CHECK (percent_off_bps % 100 = 0);
ALTER TABLE referral_codes
  ADD CONSTRAINT referral_codes_whole_percent CHECK (percent_off_bps % 100 = 0);

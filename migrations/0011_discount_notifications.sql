-- 0011: tell the API when discounts change. Each API event loop keeps a copy of the coupons and
-- referral codes for quotes and LISTENs on codezero_discounts; this statement trigger NOTIFYs at
-- commit of any change, so a new, changed or withdrawn code reaches quotes at once.
CREATE FUNCTION notify_discounts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('codezero_discounts', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
CREATE TRIGGER coupons_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON coupons
  FOR EACH STATEMENT EXECUTE FUNCTION notify_discounts_changed();
CREATE TRIGGER referral_codes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON referral_codes FOR EACH STATEMENT EXECUTE FUNCTION notify_discounts_changed();

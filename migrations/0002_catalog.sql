-- 0002: the product catalog (versioned), coupons and referral codes.
--
-- A catalog version is one JSON document (catalog/catalog-v<N>.json, see src/domain/catalog.h);
-- versions are never updated or deleted, so every quote can be re-derived with the version it
-- was priced with. New versions come from `codezero catalog import FILE`.
CREATE TABLE catalog_versions (
  version    integer PRIMARY KEY CHECK (version > 0),
  document   jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION forbid_catalog_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'catalog versions are immutable; import a new version instead';
END;
$$;
CREATE TRIGGER catalog_versions_immutable BEFORE UPDATE OR DELETE ON catalog_versions
  FOR EACH ROW EXECUTE FUNCTION forbid_catalog_change();

INSERT INTO catalog_versions (version, document)
VALUES (1, $catalog${{include:catalog/catalog-v1.json}}$catalog$::jsonb);

-- Coupons are managed by platform admins. A coupon takes percent_off_bps off the recurring
-- lines of the first invoice.
CREATE TABLE coupons (
  code            text PRIMARY KEY CHECK (code ~ '^[A-Z0-9_-]{3,32}$'),
  percent_off_bps integer NOT NULL CHECK (percent_off_bps BETWEEN 1 AND 10000),
  active          boolean NOT NULL DEFAULT true,
  valid_from      timestamptz,
  valid_until     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
);
CREATE TRIGGER coupons_updated_at BEFORE UPDATE ON coupons
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

INSERT INTO coupons (code, percent_off_bps) VALUES ('LAUNCH20', 2000);

-- Referral codes give 10 % off the recurring lines of the first invoice. The referrals
-- capability adds who owns a code and what a redemption earns; quotes only need these columns.
CREATE TABLE referral_codes (
  code            text PRIMARY KEY CHECK (code ~ '^[A-Z0-9_-]{3,32}$'),
  percent_off_bps integer NOT NULL DEFAULT 1000 CHECK (percent_off_bps BETWEEN 1 AND 10000),
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now()
);

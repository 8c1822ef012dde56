-- 0017: cancellations declared on the public page "Verträge hier kündigen" (§ 312k BGB) by
-- someone who is not signed in. The declaration counts from `received_at`, the moment the
-- button was pressed (§ 312k(4) BGB); the link mailed to the company owner's address only
-- identifies the contract, and pressing its button records the cancellation as received then.
-- A declaration for an address that owns no contract is not stored (nothing to cancel, and no
-- personal data kept about a stranger). Only the SHA-256 of the link's token is kept.
CREATE TABLE cancellation_requests (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash    bytea NOT NULL UNIQUE,
  company_id    uuid NOT NULL REFERENCES companies (id),
  user_id       uuid NOT NULL REFERENCES users (id),
  name          text NOT NULL,
  -- what the declarer named as the contract (an order number), as typed; '' for "all of them"
  contract      text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('ordinary', 'extraordinary')),
  reason        text NOT NULL,
  locale        text NOT NULL CHECK (locale IN ('de', 'en')),
  received_at   timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  confirmed_at  timestamptz
);
CREATE INDEX cancellation_requests_company ON cancellation_requests (company_id);

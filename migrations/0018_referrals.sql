-- 0018: referrals. A company owns at most one referral code (made when it first asks for it;
-- codes without a company are the platform's own). An order placed with a company's code is a
-- redemption once it is paid: held for the withdrawal period, then credited to the referrer's
-- Stripe customer balance, or refused with its reason, and reversed when the referee's payment
-- is refunded after the credit. docs/pricing.md, "Referrals".
ALTER TABLE referral_codes ADD COLUMN company_id uuid UNIQUE REFERENCES companies (id);

CREATE TABLE referral_redemptions (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code                 text NOT NULL REFERENCES referral_codes (code),
  referrer_company_id  uuid NOT NULL REFERENCES companies (id),
  referee_company_id   uuid NOT NULL REFERENCES companies (id),
  order_id             uuid NOT NULL UNIQUE REFERENCES orders (id),
  state                text NOT NULL
                       CHECK (state IN ('holding', 'credited', 'refused', 'reversed', 'voided')),
  refusal              text CHECK (refusal IN ('same_company', 'same_email_domain',
                       'same_customer', 'same_vat_id', 'referrer_closed', 'referrer_not_customer',
                       'monthly_limit', 'refunded', 'cancelled')),
  reward_amount        bigint NOT NULL CHECK (reward_amount >= 0),
  currency             text NOT NULL,
  paid_at              timestamptz NOT NULL,
  hold_until           timestamptz NOT NULL,
  credited_at          timestamptz,
  credit_transaction   text,  -- Stripe's customer balance transaction of the credit
  reversed_at          timestamptz,
  reversal_transaction text,
  voided_at            timestamptz,
  voided_by            uuid REFERENCES users (id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'refused') = (refusal IS NOT NULL))
);
CREATE INDEX referral_redemptions_referrer ON referral_redemptions (referrer_company_id, paid_at);
CREATE TRIGGER referral_redemptions_updated_at BEFORE UPDATE ON referral_redemptions
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

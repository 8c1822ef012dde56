-- 0015: what the customer's invoice list and detail show (GET /v1/invoices), stored from
-- Stripe's invoice as the worker fetched it: a public id, the dates, the net amount, the tax per
-- rate and the lines. Invoices stored before this migration get their details with their next
-- event or reconciliation; until then they have no lines and no tax per rate.
ALTER TABLE invoices
  ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  ADD COLUMN finalized_at timestamptz,
  ADD COLUMN paid_at timestamptz,
  ADD COLUMN due_date timestamptz,
  ADD COLUMN total_excluding_tax bigint,
  -- [{"rate_bps", "taxable_amount", "amount"}], one per tax rate, as Stripe's total_tax_amounts
  ADD COLUMN tax_amounts jsonb NOT NULL DEFAULT '[]';

CREATE TABLE invoice_lines (
  invoice_id   text NOT NULL REFERENCES invoices (stripe_id) ON DELETE CASCADE,
  position     integer NOT NULL,
  stripe_id    text NOT NULL,
  code         text NOT NULL,  -- the catalog code of the line's product; '' when not ours
  description  text NOT NULL,
  quantity     bigint NOT NULL,
  amount       bigint NOT NULL,  -- before discounts, without tax
  discount     bigint NOT NULL,
  tax          bigint NOT NULL,
  tax_rate_bps integer NOT NULL,
  proration    boolean NOT NULL,
  period_start timestamptz,
  period_end   timestamptz,
  PRIMARY KEY (invoice_id, position)
);

-- Retention (§ 14b UStG, § 147 AO, both 8 years for invoices since 1 January 2025): an invoice
-- that was issued (anything but a draft) stays until the end of the eighth calendar year after
-- the year it was finalized, a year as the seller counts it (German time). A draft is no invoice
-- yet, and Stripe deletes unused ones; an issued invoice never becomes a draft again.
CREATE FUNCTION invoices_keep_issued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.status <> 'draft' AND NEW.status = 'draft' THEN
      RAISE EXCEPTION 'invoice % was issued and cannot become a draft', OLD.stripe_id
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.status <> 'draft' AND now() <
     (date_trunc('year', coalesce(OLD.finalized_at, OLD.stripe_created) AT TIME ZONE 'Europe/Berlin')
      + interval '9 years') AT TIME ZONE 'Europe/Berlin'
  THEN
    RAISE EXCEPTION 'invoice % is kept until the end of its retention period', OLD.stripe_id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER invoices_keep_issued BEFORE DELETE OR UPDATE OF status ON invoices
  FOR EACH ROW EXECUTE FUNCTION invoices_keep_issued();

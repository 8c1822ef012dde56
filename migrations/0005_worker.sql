-- 0005: what the worker keeps: periodic runs, Stripe subscriptions and invoices as last seen,
-- provisioned workspaces and their licences, e-mail delivery state, and its own watermarks.

-- One row per scheduled run of a periodic job: the primary key makes a slot run once, however
-- many schedulers there are.
CREATE TABLE periodic_runs (
  kind       text NOT NULL,
  slot       timestamptz NOT NULL,
  job_id     bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, slot)
);

-- Subscriptions and invoices as Stripe last told us. `stripe_version` is the `created` time of
-- the newest event (or the fetch time of the object) applied: an older event never overwrites
-- newer state.
CREATE TABLE subscriptions (
  stripe_id            text PRIMARY KEY,
  company_id           uuid REFERENCES companies (id),
  order_id             uuid REFERENCES orders (id),
  stripe_customer      text NOT NULL,
  status               text NOT NULL,
  current_period_start timestamptz,
  current_period_end   timestamptz,
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  canceled_at          timestamptz,
  ended_at             timestamptz,
  items                jsonb NOT NULL DEFAULT '[]',
  stripe_version       bigint NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_company ON subscriptions (company_id);
CREATE INDEX subscriptions_order ON subscriptions (order_id);
CREATE TRIGGER subscriptions_updated_at BEFORE UPDATE ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Invoices are kept 10 years (§ 147 AO); they name the company, not a person.
CREATE TABLE invoices (
  stripe_id          text PRIMARY KEY,
  company_id         uuid REFERENCES companies (id),
  order_id           uuid REFERENCES orders (id),
  stripe_customer    text NOT NULL,
  stripe_subscription text,
  number             text,
  status             text NOT NULL,
  billing_reason     text,
  currency           text NOT NULL,
  subtotal           bigint NOT NULL,
  tax                bigint NOT NULL,
  total              bigint NOT NULL,
  amount_due         bigint NOT NULL,
  amount_paid        bigint NOT NULL,
  attempt_count      integer NOT NULL DEFAULT 0,
  period_start       timestamptz,
  period_end         timestamptz,
  hosted_invoice_url text,
  invoice_pdf        text,
  stripe_created     timestamptz NOT NULL,
  stripe_version     bigint NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoices_company ON invoices (company_id, stripe_created DESC);
CREATE INDEX invoices_subscription ON invoices (stripe_subscription);
CREATE TRIGGER invoices_updated_at BEFORE UPDATE ON invoices
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- What an order bought, provisioned: exactly one workspace per order.
CREATE TABLE workspaces (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id     uuid NOT NULL REFERENCES companies (id),
  order_id       uuid NOT NULL UNIQUE REFERENCES orders (id),
  plan           text NOT NULL,
  status         text NOT NULL CHECK (status IN ('active', 'past_due', 'suspended', 'canceled')),
  entitlements   jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workspaces_company ON workspaces (company_id);
CREATE TRIGGER workspaces_updated_at BEFORE UPDATE ON workspaces
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A workspace's licence key, kept only as its SHA-256; `key_prefix` names it in the UI.
CREATE TABLE licences (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces (id),
  key_hash     bytea NOT NULL UNIQUE,
  key_prefix   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  rotated_at   timestamptz
);

-- E-mail delivery: one e-mail per business event (`unique_key`), claimed while being sent so
-- that two runs of its job do not both send it.
ALTER TABLE email_outbox
  ADD COLUMN unique_key text UNIQUE,
  ADD COLUMN sending_at timestamptz,
  ADD COLUMN attempts   integer NOT NULL DEFAULT 0,
  ADD COLUMN message_id text,
  ADD COLUMN failed_at  timestamptz,
  ADD COLUMN failure    text;

-- Small named values the worker keeps between runs (the reconciliation's watermark).
CREATE TABLE worker_state (
  key        text PRIMARY KEY,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

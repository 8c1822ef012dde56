-- 0004: orders and their lines and history, Stripe's webhook events as received, the job
-- queue the worker drains, and the Stripe objects the API creates once and reuses.
--
-- Amounts are integer cents (bigint) of `currency`; an order keeps what was shown and charged.

ALTER TABLE companies ADD COLUMN stripe_customer_id text UNIQUE;

CREATE TABLE orders (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id              uuid NOT NULL REFERENCES companies (id),
  created_by              uuid NOT NULL REFERENCES users (id),
  -- The client's Idempotency-Key and a digest of its request: one order per key and user,
  -- even when Redis (which answers replays) is unavailable.
  idempotency_key         text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  request_digest          text NOT NULL,
  status                  text NOT NULL CHECK (status IN (
                            'awaiting_payment', 'paid', 'provisioning', 'active', 'expired',
                            'payment_failed', 'past_due', 'canceled', 'refunded')),
  catalog_version         integer NOT NULL,
  quote_id                text NOT NULL,
  plan                    text NOT NULL,
  billing_interval        text NOT NULL CHECK (billing_interval IN ('month', 'year')),
  currency                text NOT NULL,
  locale                  text NOT NULL CHECK (locale IN ('de', 'en')),
  tax_treatment           text NOT NULL,
  tax_country             text NOT NULL,
  tax_rate_bps            integer NOT NULL,
  vat_id                  text,
  discount_code           text,
  discount_kind           text,
  discount_percent_bps    integer,
  amount_subtotal         bigint NOT NULL CHECK (amount_subtotal >= 0),
  amount_discount         bigint NOT NULL CHECK (amount_discount >= 0),
  amount_tax              bigint NOT NULL CHECK (amount_tax >= 0),
  amount_total            bigint NOT NULL CHECK (amount_total >= 0),
  recurring_subtotal      bigint NOT NULL CHECK (recurring_subtotal >= 0),
  recurring_tax           bigint NOT NULL CHECK (recurring_tax >= 0),
  recurring_total         bigint NOT NULL CHECK (recurring_total >= 0),
  stripe_checkout_session text UNIQUE,
  checkout_url            text,
  checkout_expires_at     timestamptz,
  stripe_subscription     text,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  CHECK (amount_total = amount_subtotal - amount_discount + amount_tax),
  UNIQUE (created_by, idempotency_key)
);
CREATE INDEX orders_company ON orders (company_id, created_at DESC);
CREATE INDEX orders_subscription ON orders (stripe_subscription);
CREATE INDEX orders_awaiting ON orders (checkout_expires_at) WHERE status = 'awaiting_payment';
CREATE TRIGGER orders_updated_at BEFORE UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE order_lines (
  order_id         uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  position         integer NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('plan', 'addon')),
  code             text NOT NULL,
  description      text NOT NULL,
  quantity         bigint NOT NULL CHECK (quantity > 0),
  unit_amount      bigint NOT NULL CHECK (unit_amount >= 0),
  amount           bigint NOT NULL CHECK (amount >= 0),
  amount_discount  bigint NOT NULL CHECK (amount_discount >= 0),
  amount_tax       bigint NOT NULL CHECK (amount_tax >= 0),
  tax_rate_bps     integer NOT NULL,
  recurring        boolean NOT NULL,
  PRIMARY KEY (order_id, position)
);

-- Every change of an order's status with its cause; append-only.
CREATE TABLE order_status_history (
  id           bigserial PRIMARY KEY,
  order_id     uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  from_status  text,
  to_status    text NOT NULL,
  cause        text NOT NULL,
  stripe_event text,
  occurred_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_status_history_order ON order_status_history (order_id, id);

-- Stripe's webhook events exactly as they arrived (the raw body is what was signed).
CREATE TABLE stripe_events (
  id           text PRIMARY KEY,
  type         text NOT NULL,
  created      timestamptz NOT NULL,
  livemode     boolean NOT NULL,
  payload      text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);
CREATE INDEX stripe_events_unprocessed ON stripe_events (received_at) WHERE processed_at IS NULL;

-- The job queue (the worker's; see docs/worker.md). A job exists if and only if the change it
-- belongs to committed, because it is inserted in that change's transaction.
CREATE TABLE jobs (
  id               bigserial PRIMARY KEY,
  kind             text NOT NULL,
  queue            text NOT NULL DEFAULT 'default',
  args             jsonb NOT NULL DEFAULT '{}',
  state            text NOT NULL DEFAULT 'available' CHECK (state IN (
                     'available', 'scheduled', 'running', 'retryable', 'completed', 'discarded',
                     'cancelled')),
  attempt          integer NOT NULL DEFAULT 0,
  max_attempts     integer NOT NULL DEFAULT 20 CHECK (max_attempts > 0),
  run_at           timestamptz NOT NULL DEFAULT now(),
  lease_owner      text,
  lease_expires_at timestamptz,
  errors           jsonb NOT NULL DEFAULT '[]',
  unique_key       text,
  trace_context    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  attempted_at     timestamptz,
  finalized_at     timestamptz
);
-- At most one live job per unique key; a finished one does not block a new one.
CREATE UNIQUE INDEX jobs_unique_live ON jobs (unique_key)
  WHERE unique_key IS NOT NULL AND state NOT IN ('completed', 'discarded', 'cancelled');
CREATE INDEX jobs_ready ON jobs (queue, run_at, id)
  WHERE state IN ('available', 'scheduled', 'retryable');
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE state = 'running';

-- Wakes idle workers when jobs arrive: one notification per inserting statement, delivered at
-- commit (and only then), with the queue names as payload.
CREATE FUNCTION notify_jobs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('codezero_jobs', q.queue) FROM (SELECT DISTINCT queue FROM inserted) q;
  RETURN NULL;
END;
$$;
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION notify_jobs();

-- Stripe objects the API creates once and reuses (tax rates), by a key of our own.
CREATE TABLE stripe_objects (
  key        text PRIMARY KEY,
  stripe_id  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

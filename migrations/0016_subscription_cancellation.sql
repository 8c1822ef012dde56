-- 0016: subscriptions as the customer runs them (GET /v1/subscriptions): a public id, and the
-- customer's cancellation as received (§ 312k(4) BGB: its confirmation states the date and time
-- it was received) and by whom. A resumption clears it. `cancellation_changed_at` moves with
-- either, so the job that makes Stripe follow knows whether it is still up to date.
ALTER TABLE subscriptions
  ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  ADD COLUMN cancellation_received_at timestamptz,
  ADD COLUMN cancellation_received_from uuid REFERENCES users (id),
  ADD COLUMN cancellation_changed_at timestamptz;

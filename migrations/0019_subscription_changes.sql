-- 0019: a change of a subscription that takes effect at the end of its period (a lower price:
-- docs/api.md, "Subscriptions"): the wanted plan and add-ons, kept until the
-- `subscription.apply_change` job makes them at Stripe shortly before the renewal.
ALTER TABLE subscriptions
  ADD COLUMN pending_change jsonb,            -- {"plan","addons":[{"code","quantity"}]}
  ADD COLUMN pending_change_at timestamptz;  -- when it was asked for (its version)

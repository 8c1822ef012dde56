-- A paid, provisioned order as the platform writes one (company, owner, order with two lines
-- that sum to its amounts, invoice, workspace, licence, a finished job naming the order), for
-- the restore drill test. :label names the order (its quote id) so the test can find it.
WITH company AS (
  INSERT INTO companies (name, country) VALUES ('Wiederhergestellt ' || :'label', 'DE') RETURNING id
), owner AS (
  INSERT INTO users (company_id, email, name, role, email_verified_at)
  SELECT id, :'label' || '@drill.example', 'Dora Drill', 'owner', now() FROM company RETURNING id, company_id
), placed AS (
  INSERT INTO orders (company_id, created_by, idempotency_key, request_digest, status,
                      catalog_version, quote_id, plan, billing_interval, currency, locale,
                      tax_treatment, tax_country, tax_rate_bps, amount_subtotal, amount_discount,
                      amount_tax, amount_total, recurring_subtotal, recurring_tax, recurring_total)
  SELECT company_id, id, 'drill-' || :'label', 'digest', :'status', 1, :'label', 'team', 'month',
         'eur', 'de', 'standard', 'DE', 1900, 13000, 0, 2470, 15470, 13000, 2470, 15470
  FROM owner RETURNING id, company_id
), lines AS (
  INSERT INTO order_lines (order_id, position, kind, code, description, quantity, unit_amount,
                           amount, amount_discount, amount_tax, tax_rate_bps, recurring)
  SELECT id, 1, 'plan', 'team', 'Team', 1, 9000, 9000, 0, 1710, 1900, true FROM placed
  UNION ALL
  SELECT id, 2, 'addon', 'extra_seats', 'Seats', 4, 1000, 4000, 0, 760, 1900, true FROM placed
  RETURNING order_id
), invoice AS (
  INSERT INTO invoices (stripe_id, company_id, order_id, stripe_customer, status, currency,
                        subtotal, tax, total, amount_due, amount_paid, stripe_created,
                        stripe_version)
  SELECT 'in_' || :'label', company_id, id, 'cus_' || :'label', 'paid', 'eur', 13000, 2470, 15470,
         15470, 15470, now(), 1
  FROM placed WHERE :'status' = 'active' RETURNING order_id
), workspace AS (
  INSERT INTO workspaces (company_id, order_id, plan, status, entitlements)
  SELECT company_id, id, 'team', 'active', '{}' FROM placed WHERE :'status' = 'active' RETURNING id
), licence AS (
  INSERT INTO licences (workspace_id, key_hash, key_prefix)
  SELECT id, sha256(convert_to(:'label', 'UTF8')), 'czl_drill' FROM workspace RETURNING workspace_id
)
INSERT INTO jobs (kind, args, state)
SELECT 'provisioning.notify', jsonb_build_object('order_id', id), 'completed' FROM placed
WHERE (SELECT count(*) FROM lines) = 2 AND (SELECT count(*) FROM invoice) >= 0
  AND (SELECT count(*) FROM licence) >= 0;

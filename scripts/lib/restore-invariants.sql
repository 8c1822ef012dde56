-- What must hold in any copy of the database the platform's code wrote, restored or not: one
-- row per check with the number of rows that break it. scripts/restore-drill runs it on a
-- restored cluster; every count must be 0.
SELECT 'order lines sum to the order''s amounts' AS invariant, count(*) AS violations
FROM orders o
JOIN (SELECT order_id, sum(amount) AS subtotal, sum(amount_discount) AS discount,
             sum(amount_tax) AS tax
      FROM order_lines GROUP BY order_id) l ON l.order_id = o.id
WHERE l.subtotal <> o.amount_subtotal OR l.discount <> o.amount_discount OR l.tax <> o.amount_tax
UNION ALL
SELECT 'every order has its lines', count(*)
FROM orders o WHERE NOT EXISTS (SELECT FROM order_lines l WHERE l.order_id = o.id)
UNION ALL
SELECT 'every active order has its workspace', count(*)
FROM orders o
WHERE o.status IN ('active', 'past_due')
  AND NOT EXISTS (SELECT FROM workspaces w WHERE w.order_id = o.id)
UNION ALL
SELECT 'every active order has its invoice', count(*)
FROM orders o
WHERE o.status IN ('active', 'past_due')
  AND NOT EXISTS (SELECT FROM invoices i WHERE i.order_id = o.id)
UNION ALL
SELECT 'every workspace has its licence', count(*)
FROM workspaces w WHERE NOT EXISTS (SELECT FROM licences l WHERE l.workspace_id = w.id)
UNION ALL
SELECT 'no job names a missing order, workspace, company or user', count(*)
FROM jobs j
WHERE j.state NOT IN ('completed', 'cancelled', 'discarded')
  AND ((j.args ? 'order_id' AND NOT EXISTS (SELECT FROM orders o WHERE o.id::text = j.args->>'order_id'))
    OR (j.args ? 'workspace_id' AND NOT EXISTS (SELECT FROM workspaces w WHERE w.id::text = j.args->>'workspace_id'))
    OR (j.args ? 'company_id' AND NOT EXISTS (SELECT FROM companies c WHERE c.id::text = j.args->>'company_id'))
    OR (j.args ? 'user_id' AND NOT EXISTS (SELECT FROM users u WHERE u.id::text = j.args->>'user_id')));

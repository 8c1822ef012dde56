-- 0021: an order's invoices by the order (the data export, GET /v1/me/export, lists each order
-- with its invoices); without this index each order reads the whole invoices table.
CREATE INDEX invoices_order ON invoices (order_id);

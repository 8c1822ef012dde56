-- 0014: what else decided an order's tax, so that its note can be written again exactly as the
-- quote showed it (the order confirmation, later invoices): the special territory of the
-- customer's address (vat_territory.h; '' for none), and why VAT was charged to a business with
-- a VAT ID (VIES did not confirm it, or was not asked). Orders before this migration keep the
-- defaults, which give the general note.
ALTER TABLE orders
  ADD COLUMN tax_territory text NOT NULL DEFAULT '',
  ADD COLUMN tax_vat_id_unconfirmed boolean NOT NULL DEFAULT false,
  ADD COLUMN tax_vat_id_not_asked boolean NOT NULL DEFAULT false;

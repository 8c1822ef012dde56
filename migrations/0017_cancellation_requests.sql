-- 0017: cancellations declared on the public page "Verträge hier kündigen" (§ 312k BGB),
-- signed in or not. Every declaration is kept, with what was declared and when: it counts from
-- `received_at`, the moment the button was pressed (§ 312k(4) BGB), and its receipt is mailed
-- at once to the address given. When that address is a company owner's with a running
-- subscription, the e-mail also carries a link (`token_hash`, its SHA-256) whose button
-- attributes the declaration to the company's contracts and records their cancellation as
-- received then. Kept 3 years as proof of the declaration (§ 195 BGB), then deleted.
CREATE TABLE cancellation_requests (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         citext NOT NULL,  -- as given
  token_hash    bytea UNIQUE,     -- NULL: no contract found for the address
  company_id    uuid REFERENCES companies (id),
  user_id       uuid REFERENCES users (id),
  name          text NOT NULL,
  -- what the declarer named as the contract (an order number), as typed; '' for "all of them"
  contract      text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('ordinary', 'extraordinary')),
  reason        text NOT NULL,
  locale        text NOT NULL CHECK (locale IN ('de', 'en')),
  received_at   timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  confirmed_at  timestamptz,
  CHECK ((token_hash IS NULL) = (company_id IS NULL))
);
CREATE INDEX cancellation_requests_company ON cancellation_requests (company_id);
CREATE INDEX cancellation_requests_received ON cancellation_requests (received_at);

-- 0003: companies, users, their tokens, the e-mail outbox and the audit log.
--
-- Secrets are never stored: passwords as argon2id strings, every token (access, refresh,
-- e-mail links) as its SHA-256. E-mail addresses compare case-insensitively (citext).
CREATE EXTENSION IF NOT EXISTS citext;

-- Timestamps in API answers: RFC 3339, UTC, whole seconds.
CREATE FUNCTION iso8601(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

CREATE TABLE companies (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  country     text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  vat_id      text,
  address     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);
CREATE TRIGGER companies_updated_at BEFORE UPDATE ON companies
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE users (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id         uuid REFERENCES companies (id),
  email              citext NOT NULL,
  name               text NOT NULL DEFAULT '',
  locale             text NOT NULL DEFAULT 'de' CHECK (locale IN ('de', 'en')),
  password_hash      text,
  role               text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'member')),
  platform_admin     boolean NOT NULL DEFAULT false,
  email_verified_at  timestamptz,
  disabled_at        timestamptz,
  anonymized_at      timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
-- One live account per address; erased accounts keep a placeholder address.
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_company ON users (company_id);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Single-use links sent by e-mail: verify the address, reset the password, accept an
-- invitation. Only the SHA-256 of the token is kept.
CREATE TABLE email_tokens (
  token_hash  bytea PRIMARY KEY,
  purpose     text NOT NULL CHECK (purpose IN ('verify', 'reset', 'invite')),
  user_id     uuid REFERENCES users (id),
  company_id  uuid REFERENCES companies (id),
  email       citext,
  role        text CHECK (role IN ('owner', 'member')),
  created_by  uuid REFERENCES users (id),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_tokens_user ON email_tokens (user_id);

-- Refresh tokens rotate on every use; all tokens issued from one login share a family, which
-- is revoked as a whole when a used refresh token is presented again (RFC 9700 §4.14.2).
CREATE TABLE refresh_tokens (
  token_hash  bytea PRIMARY KEY,
  family_id   uuid NOT NULL,
  user_id     uuid NOT NULL REFERENCES users (id),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Access tokens: checked in Redis on the hot path, here when Redis does not know one.
CREATE TABLE access_tokens (
  token_hash  bytea PRIMARY KEY,
  family_id   uuid NOT NULL,
  user_id     uuid NOT NULL REFERENCES users (id),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX access_tokens_family ON access_tokens (family_id);
CREATE INDEX access_tokens_user ON access_tokens (user_id);

-- E-mails to send, written in the same transaction as the change that causes them; the worker
-- sends them. `payload` holds what the template needs (a link with its token included).
CREATE TABLE email_outbox (
  id          bigserial PRIMARY KEY,
  to_address  citext NOT NULL,
  template    text NOT NULL,
  locale      text NOT NULL CHECK (locale IN ('de', 'en')),
  payload     jsonb NOT NULL DEFAULT '{}',
  user_id     uuid REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz
);
CREATE INDEX email_outbox_unsent ON email_outbox (id) WHERE sent_at IS NULL;

-- Who did what, append-only. Entries keep the ids of users who were later erased: the ids no
-- longer lead to a person.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  action      text NOT NULL,
  actor_id    uuid,
  company_id  uuid,
  subject_id  uuid,
  client      text,
  details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
CREATE INDEX audit_log_company ON audit_log (company_id);

CREATE FUNCTION forbid_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION forbid_audit_change();

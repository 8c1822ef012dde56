-- 0010: invitations that can be listed and withdrawn. Each e-mail link gets an id to name it by
-- (the token's hash stays the key), and `revoked_at` records an invitation withdrawn by an owner
-- or with the person who sent it (removed, no longer an owner) or with the company (closed).
-- Columns only added, so the release before this one runs unchanged beside it.
ALTER TABLE email_tokens ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE email_tokens ADD COLUMN revoked_at timestamptz;
CREATE UNIQUE INDEX email_tokens_id ON email_tokens (id);
CREATE INDEX email_tokens_pending_invitations ON email_tokens (company_id, created_at)
  WHERE purpose = 'invite' AND used_at IS NULL AND revoked_at IS NULL;
CREATE INDEX email_tokens_created_by ON email_tokens (created_by) WHERE created_by IS NOT NULL;

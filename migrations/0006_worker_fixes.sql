-- 0006: what the worker needed after 0005 had landed (landed migrations are never edited):
-- timestamps with milliseconds for a job's errors (retries can be milliseconds apart), an
-- e-mail claim bound to the claiming run, provisioning notices by version, retention indexes.
CREATE FUNCTION iso8601_ms(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- Who is sending an e-mail: the lease owner of the job that claimed it. The claim lasts as long
-- as that lease; once the lease is rescued (the sender died), the next run may send.
ALTER TABLE email_outbox ADD COLUMN sending_by text;

-- A workspace's version counts its changes. Updates of one row are serialised by its lock,
-- so versions grow in commit order (`updated_at`, a transaction's start time, does not).
ALTER TABLE workspaces ADD COLUMN version bigint NOT NULL DEFAULT 1;
CREATE FUNCTION bump_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END;
$$;
CREATE TRIGGER workspaces_version BEFORE UPDATE ON workspaces
  FOR EACH ROW EXECUTE FUNCTION bump_version();

-- Per workspace, the newest version the provisioning endpoint acknowledged: a notice job sends
-- only what is newer, and every change enqueues one (no unique key), so no change is lost to a
-- notice that was already running. (A table of its own: writing it must not change the
-- workspace.)
CREATE TABLE provisioning_notices (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces (id),
  version      bigint NOT NULL,
  notified_at  timestamptz NOT NULL DEFAULT now()
);

-- Retention sweeps (maintenance.cleanup) find old rows by index, not by scanning.
CREATE INDEX jobs_finalized ON jobs (finalized_at)
  WHERE state IN ('completed', 'discarded', 'cancelled');
CREATE INDEX email_outbox_created ON email_outbox (created_at);

-- 0006: timestamps with milliseconds for a job's errors (retries can be milliseconds apart),
-- and an e-mail claim bound to the claiming job's lease. (0005 landed without them; landed
-- migrations are never edited.)
CREATE FUNCTION iso8601_ms(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- Who is sending an e-mail: the lease owner of the job that claimed it. The claim lasts as long
-- as that lease; once the lease is rescued (the sender died), the next run may send.
ALTER TABLE email_outbox ADD COLUMN sending_by text;

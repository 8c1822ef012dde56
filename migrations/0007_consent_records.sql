-- 0007: proof of the choices visitors make in the web frontend's consent dialog (§ 25 TDDDG;
-- GDPR Art. 7(1): the controller must be able to show that consent was given). Each choice is
-- a new row; the visitor's browser keeps only the pseudonymous consent id in a cookie. No IP
-- address, no user id: the record proves what was chosen under which policy, not who chose it.
CREATE TABLE consent_records (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consent_id       uuid NOT NULL,
  action           text NOT NULL CHECK (action IN ('accept_all', 'reject_all', 'custom')),
  statistics       boolean NOT NULL,
  marketing        boolean NOT NULL,
  policy_version   text NOT NULL CHECK (policy_version ~ '^[A-Za-z0-9._-]{1,32}$'),
  user_agent_class text NOT NULL CHECK (length(user_agent_class) BETWEEN 1 AND 64),
  recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_records_by_consent ON consent_records (consent_id, recorded_at);
-- Retention (maintenance.cleanup) deletes by age.
CREATE INDEX consent_records_by_age ON consent_records (recorded_at);

-- A record is evidence: it is never changed, only deleted when its retention ends.
CREATE FUNCTION forbid_consent_record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent records are never changed';
END
$$;
CREATE TRIGGER consent_records_unchanged BEFORE UPDATE ON consent_records
  FOR EACH ROW EXECUTE FUNCTION forbid_consent_record_change();

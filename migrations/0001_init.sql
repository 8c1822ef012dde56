-- 0001: shared helpers every later table uses.
--
-- Migrations run in order, once, each in its own transaction (see src/db/migrator.h). Never
-- edit one that has been applied anywhere: add a new one. Keep each change compatible with the
-- release before it (add columns nullable or with defaults, backfill, then constrain in a
-- later release), so the old and new release can run side by side during a blue/green deploy.

-- Sets updated_at on every UPDATE: `CREATE TRIGGER ... BEFORE UPDATE ... EXECUTE FUNCTION
-- set_updated_at()`.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

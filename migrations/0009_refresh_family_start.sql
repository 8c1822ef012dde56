-- 0009: when each refresh-token family (one sign-in) began, copied onto every token it rotates
-- into, so a family has an absolute end (REFRESH_FAMILY_MAX_DAYS) after which the user signs in
-- again. The default lets the release before this one keep inserting tokens beside it (its
-- rotations restart the clock; they stop once every instance runs this release).
ALTER TABLE refresh_tokens ADD COLUMN family_started_at timestamptz NOT NULL DEFAULT now();
UPDATE refresh_tokens AS t SET family_started_at = f.started
  FROM (SELECT family_id, min(created_at) AS started FROM refresh_tokens GROUP BY family_id) AS f
  WHERE t.family_id = f.family_id;

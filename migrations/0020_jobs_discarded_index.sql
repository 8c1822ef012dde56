-- 0020: the worker counts discarded jobs every few seconds for its metrics
-- (codezero_jobs_discarded, docs/metrics.md); without this index that count reads the whole
-- table, completed jobs included.
CREATE INDEX jobs_discarded ON jobs (id) WHERE state = 'discarded';

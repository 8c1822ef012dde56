-- What the processes set per session when they connect directly (src/db/connection.cpp), set
-- on the role instead when they connect through PgBouncer in transaction mode, where no
-- session options can be sent. Match DB_STATEMENT_TIMEOUT_MS (default 5000).
ALTER ROLE codezero SET statement_timeout = '5s';
ALTER ROLE codezero SET idle_in_transaction_session_timeout = '60s';

# shellcheck shell=bash
# Private PostgreSQL and Redis servers for scripts/dev, scripts/test and bench/: each in a
# directory of its own, on loopback, never the system's services. Sourced, not run.
#
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user
# (its data directory owned by that user); as anyone else it runs as that user.

PG_BIN=${PG_BIN:-$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}

# Runs a command as the user that owns the PostgreSQL data directories.
as_pg_user() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Prints a TCP port on 127.0.0.1 that nothing listens on right now. It lies below Linux's
# ephemeral range (32768 and up), where a connection's own end, even one in TIME-WAIT, can keep
# a server from binding a port no one listens on.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# Prints a random password of URL-safe characters.
random_secret() {
  head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 40
}

# pg_start DIR PORT APP_USER APP_PASSWORD APP_DB [fast]
# Creates the cluster in DIR/data on first use, starts it on 127.0.0.1:PORT with its socket in
# DIR/run, and makes sure the application role and database exist. With "fast", durability is
# traded for speed (tests only).
pg_start() {
  local dir port=$2 user=$3 password=$4 database=$5 mode=${6:-durable}
  dir=$(realpath -m "$1")
  local data="$dir/data" run="$dir/run"
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$dir"; fi
  as_pg_user mkdir -p "$run"
  if [[ ! -f "$data/PG_VERSION" ]]; then
    as_pg_user "$PG_BIN/initdb" --pgdata="$data" --username=postgres --auth-local=trust \
      --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      return 1
    }
  fi
  local options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$run"
  options+=" -c unix_socket_permissions=0700 -c max_connections=200"
  if [[ $mode == fast ]]; then
    options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  # More server settings, e.g. WAL archiving (scripts/lib/backup.sh: pgbr_archive_options).
  options+=" ${PG_EXTRA_OPTIONS:-}"
  as_pg_user "$PG_BIN/pg_ctl" --pgdata="$data" --log="$dir/postgres.log" --options="$options" \
    --wait --timeout=60 start >/dev/null || {
    tail -n 20 "$dir/postgres.log" >&2
    return 1
  }
  # The application's role and database (idempotent).
  as_pg_user "$PG_BIN/psql" --quiet --no-psqlrc --host="$run" --port="$port" --username=postgres \
    --dbname=postgres --set=ON_ERROR_STOP=1 --set=app_user="$user" --set=app_password="$password" \
    --set=app_db="$database" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'app_user', :'app_password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'app_user', :'app_password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'app_db', :'app_user')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'app_db') \gexec
SQL
}

# pg_admin_sql DIR PORT SQL: runs SQL as the cluster's superuser (over its socket).
pg_admin_sql() {
  local dir port=$2
  dir=$(realpath -m "$1")
  as_pg_user "$PG_BIN/psql" --quiet --no-psqlrc --host="$dir/run" --port="$port" --username=postgres \
    --dbname=postgres --set=ON_ERROR_STOP=1 -c "$3" >/dev/null
}

# pg_stop DIR
pg_stop() {
  local data="$1/data"
  if [[ -f "$data/postmaster.pid" ]]; then
    as_pg_user "$PG_BIN/pg_ctl" --pgdata="$data" --mode=fast --wait --timeout=30 stop >/dev/null 2>&1 || true
  fi
}

# pg_restart DIR MODE: stops the cluster with MODE (smart, fast or immediate: the last is a crash
# without a checkpoint) and starts it again with the options it had (tests/chaos).
pg_restart() {
  local dir mode=$2
  dir=$(realpath -m "$1")
  as_pg_user "$PG_BIN/pg_ctl" --pgdata="$dir/data" --log="$dir/postgres.log" --mode="$mode" \
    --wait --timeout=60 restart >/dev/null
}

# redis_start DIR PORT PASSWORD [persistent]
redis_start() {
  local dir port=$2 password=$3 mode=${4:-ephemeral}
  dir=$(realpath -m "$1")
  mkdir -p "$dir"
  local persistence='save ""
appendonly no'
  if [[ $mode == persistent ]]; then
    persistence='save 60 1
appendonly yes'
  fi
  (umask 077 && cat >"$dir/redis.conf" <<CONF
bind 127.0.0.1
port $port
dir $dir
requirepass $password
daemonize yes
pidfile $dir/redis.pid
logfile $dir/redis.log
$persistence
CONF
)
  redis-server "$dir/redis.conf" || return 1
  for _ in $(seq 1 100); do
    if REDISCLI_AUTH=$password redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then return 0; fi
    sleep 0.05
  done
  echo "redis did not start; see $dir/redis.log" >&2
  return 1
}

# redis_stop DIR
redis_stop() {
  local pidfile="$1/redis.pid"
  if [[ -f $pidfile ]]; then
    local pid
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    rm -f "$pidfile"
  fi
}

# shellcheck shell=bash
# pgBackRest (https://pgbackrest.org/user-guide.html) for a private PostgreSQL cluster of
# scripts/lib/services.sh: a repository beside the cluster, encrypted (AES-256-CBC, its key in a
# file only the cluster's user reads), WAL archived continuously, full and differential backups
# kept by count. Sourced, not run; needs services.sh.
#
# Layout for a cluster in DIR (DIR/data): DIR/pgbackrest.conf, DIR/backup/ (the repository),
# DIR/backup.key (the repository's key).

PGBR_STANZA=codezero

# pgbr_configure DIR PORT: writes DIR/pgbackrest.conf (and the key, once).
pgbr_configure() {
  local dir port=$2
  dir=$(realpath -m "$1")
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$dir"; fi
  as_pg_user mkdir -p "$dir/backup" "$dir/backup-log" "$dir/backup-spool"
  if ! as_pg_user test -s "$dir/backup.key"; then
    random_secret | as_pg_user tee "$dir/backup.key" >/dev/null
    as_pg_user chmod 600 "$dir/backup.key"
  fi
  local key
  key=$(as_pg_user cat "$dir/backup.key")
  as_pg_user tee "$dir/pgbackrest.conf" >/dev/null <<CONF
[global]
repo1-path=$dir/backup
repo1-cipher-type=aes-256-cbc
repo1-cipher-pass=$key
repo1-retention-full=2
repo1-retention-diff=6
start-fast=y
log-path=$dir/backup-log
lock-path=$dir/backup-log
spool-path=$dir/backup-spool
log-level-console=warn
log-level-file=info
compress-type=zst

[$PGBR_STANZA]
pg1-path=$dir/data
pg1-port=$port
pg1-socket-path=$dir/run
pg1-user=postgres
CONF
  as_pg_user chmod 600 "$dir/pgbackrest.conf"
}

# pgbr DIR ARGS...: pgBackRest on the cluster in DIR, as the cluster's user.
pgbr() {
  local dir
  dir=$(realpath -m "$1")
  shift
  as_pg_user pgbackrest --config="$dir/pgbackrest.conf" --stanza="$PGBR_STANZA" "$@"
}

# pgbr_archive_options DIR: the server settings that archive every WAL segment into the
# repository, at the latest every 10 s of activity (archive_timeout: the recovery point
# objective of the development cluster).
pgbr_archive_options() {
  local dir
  dir=$(realpath -m "$1")
  printf '%s' "-c archive_mode=on -c archive_timeout=10s" \
    " -c archive_command='pgbackrest --config=$dir/pgbackrest.conf --stanza=$PGBR_STANZA archive-push %p'"
}

#!/usr/bin/env bash
# Runs "$@" with a PostgreSQL 15 server of its own for the team-mode tests: initdb into a temporary
# directory (as the unprivileged user `nobody` when run as root: the server refuses to run as
# root), listening on a free port on 127.0.0.1 only, password authentication (scram-sha-256) for
# the superuser `syncdesk`. Exports
#   SYNCDESK_TEST_PG  postgresql://syncdesk@127.0.0.1:PORT/postgres (no password in it)
#   PGPASSWORD        that user's password (libpq's own convention, read by SyncDesk's QPSQL)
# and stops the server and removes the directory when the command ends.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres.sh: no PostgreSQL server installed (Debian package postgresql)" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/syncdesk-pg.XXXXXX)
chmod 755 "$dir"
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}
printf '%s\n' "$password" > "$dir/pwfile"
if [ "$(id -u)" = 0 ]; then chown -R nobody "$dir"; fi
as_owner "$bindir/initdb" -D "$dir/data" -U syncdesk --pwfile="$dir/pwfile" \
  --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/pwfile"
# In the configuration file, so a test that stops the server can start it again as it was.
cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 64MB
# Only processes are killed here, never the machine: what the server wrote is in the page cache
# and survives its own crash, so the tests skip the fsyncs (commits stay synchronous).
fsync = off
full_page_writes = off
# bench_engine counts the catalog's round trips per request with it.
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track_utility = on
EOF
cleanup() {
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
export SYNCDESK_TEST_PG="postgresql://syncdesk@127.0.0.1:$port/postgres"
export PGPASSWORD="$password"
# For the tests that stop and start the server (losing the catalog mid-run).
export SYNCDESK_TEST_PG_CTL="$bindir/pg_ctl"
export SYNCDESK_TEST_PG_DATA="$dir/data"
export SYNCDESK_TEST_PG_LOG="$dir/server.log"
export SYNCDESK_TEST_PG_AS=$([ "$(id -u)" = 0 ] && echo nobody || true)
status=0
"$@" || status=$?
exit "$status"

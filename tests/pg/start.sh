#!/bin/sh
# tests/pg/start.sh [DIR] — start a throwaway PostgreSQL cluster for the tests
# and print its URL on stdout (postgres:///vigie?host=DIR&user=vigie).
#
# Uses Debian's /usr/lib/postgresql/<newest>/bin/{initdb,pg_ctl}.  The cluster
# lives in DIR (default: a new mktemp -d under /tmp), listens only on a unix
# socket in DIR, trusts local connections, and runs with fsync off (it is
# thrown away).  PostgreSQL refuses to run as root: when we are root the
# server runs as the `postgres` system user (Debian's postgresql package
# creates it) through runuser.  Database `vigie` (owner: superuser `vigie`)
# exists on return.  Stop and delete with tests/pg/stop.sh DIR.
# Exit 77 when PostgreSQL is not installed (apt-get install postgresql).
set -eu
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] && [ -x "$BIN/initdb" ] || { echo "PostgreSQL server not installed (apt-get install postgresql)" >&2; exit 77; }
DIR=${1:-$(mktemp -d /tmp/vigie-pg.XXXXXX)}
mkdir -p "$DIR"
as_pg() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "no postgres system user" >&2; exit 77; }
  chown postgres "$DIR"; chmod 0755 "$DIR"
  as_pg() { runuser -u postgres -- "$@"; }
fi
as_pg "$BIN/initdb" -D "$DIR/data" -U vigie -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
cat >> "$DIR/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 60
shared_buffers = 64MB
log_min_messages = warning
CONF
as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 1; }
"$BIN/createdb" -h "$DIR" -U vigie vigie
echo "postgres:///vigie?host=$DIR&user=vigie"

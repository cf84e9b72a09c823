#!/bin/sh
# tests/pg/stop.sh DIR — stop the cluster started by tests/pg/start.sh DIR
# and delete DIR.  Accepts the URL printed by start.sh in place of DIR.
set -u
DIR=$(printf '%s\n' "${1:?usage: stop.sh DIR}" | sed -n 's/.*host=\([^&]*\).*/\1/p;t;p')
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -d "$DIR/data" ] || exit 0
if [ "$(id -u)" -eq 0 ]; then
  runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1
else
  "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1
fi
case "$DIR" in /tmp/vigie-pg.*) rm -rf "$DIR" ;; esac
exit 0

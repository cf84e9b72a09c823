#!/bin/sh
# video_pg_url.sh — the video register is kept in an SQLite file (docs/
# store.md, "What stays on SQLite"): every `vigie video` subcommand that
# takes --db refuses a postgres:// or postgresql:// URL with a message that
# says so and tells to give --db a file path, before any connection attempt.
# Needs no PostgreSQL: the URLs point at a TCP listener started here, which
# must see no connection; the password in the URL must not be echoed; and
# no file may appear in the working directory (before the fix SQLite took
# the URL for a path: "cannot open database: unable to open database file",
# or a file under a directory named "postgres:" when one existed).
set -u
ROOT=${VIGIE_ROOT:-$PWD}
BUILD=${BUILD:-build}
V=${VIGIE:-$ROOT/$BUILD/vigie}
case "$V" in /*) ;; *) V=$PWD/$V ;; esac
PY=/usr/bin/python3
T=$(mktemp -d)
LPID=""
cleanup() { [ -n "$LPID" ] && kill "$LPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

# a listener that records any connection (a PostgreSQL client would connect)
$PY - "$T/port" "$T/conns" <<'PY' &
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept()
    open(sys.argv[2], "a").write("connection\n")
    c.close()
PY
LPID=$!
i=0; while [ $i -lt 50 ] && [ ! -s "$T/port" ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/port" ] || fail "listener did not start"
P=$(cat "$T/port")

mkdir "$T/cwd" "$T/cwd/postgres:" "$T/cwd/postgresql:"
cd "$T/cwd" || exit 1
n=0
for url in "postgres://vigie:s3cretpw@127.0.0.1:$P/vigie" "postgresql://vigie:s3cretpw@127.0.0.1:$P/vigie" \
           "postgres:///vigie?host=127.0.0.1&port=$P&password=s3cretpw"; do
  while IFS='|' read -r name args; do
    [ -n "$name" ] || continue
    # shellcheck disable=SC2086
    "$V" video $name --db "$url" $args >"$T/out" 2>"$T/err"
    rc=$?
    [ $rc -ne 0 ] || fail "video $name: exit 0"
    grep -q "kept in an SQLite file" "$T/err" && grep -q -- "give --db a file path" "$T/err" ||
      fail "video $name ($url): exit $rc, $(cat "$T/err")"
    grep -q s3cretpw "$T/err" "$T/out" && fail "video $name: the URL's password was echoed"
    n=$((n + 1))
  done <<EOF
camera list|
camera add|--name c1 --url rtsp://127.0.0.1:1/cam --lon 2.35 --lat 48.85 --area centre
camera allow c1|--viewer role:superviseur
record|--camera c1 --dir $T/rec --duration 1
purge|--dry-run
hold add|--procedure PV1 --camera c1 --from 2026-01-01T00:00:00Z --to 2026-01-01T01:00:00Z
requisition|--officer o --service s --procedure PV1 --camera c1 --from 2026-01-01T00:00:00Z --to 2026-01-01T01:00:00Z --reason r --supervisor u
export|--requisition 1 --out $T/exp
register|
segments|--all
live|--dir $T/live --camera c1 --user u --out $T/live.jpg
EOF
done
cat "$T/err"
[ ! -s "$T/conns" ] || fail "a connection was made to the URL's server"
[ -z "$(find "$T/cwd" -mindepth 1 -not -name 'postgres:' -not -name 'postgresql:')" ] ||
  fail "files were created: $(find "$T/cwd" -mindepth 1)"
[ ! -e "$T/rec" ] && [ ! -e "$T/exp" ] && [ ! -e "$T/live.jpg" ] || fail "output written"
# a file path still works (positive control: the refusal is about the URL)
"$V" video camera list --db "$T/video.db" >/dev/null 2>"$T/err" || fail "file path: $(cat "$T/err")"
echo "$n refusals, no connection, no file; PASS"

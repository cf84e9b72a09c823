#!/bin/sh
# server_logbook_config.sh — `vigie serve` checks what the logbook form
# will need at start, not at the first POST /api/v1/logbook: a --gazetteer
# that does not exist, a gazetteer with a malformed line and a damaged
# DB.classifier each make it exit non-zero within seconds, naming the file
# (and the line and value for the parse error), without ever printing
# "listening".  Positive control: the same store with the good gazetteer
# starts and listens (so the failures above come from the files, not from
# the store or the options).  Before the fix all three started and
# listened; the error came with the first entry.
set -u
ROOT=${VIGIE_ROOT:-$PWD}
BUILD=${BUILD:-build}
V=${VIGIE:-$ROOT/$BUILD/vigie}
. "$ROOT/tests/helpers/store_lib.sh"
VIGIE_BACKEND=${VIGIE_BACKEND:-sqlite}
T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; vg_drop_dbs "$T"; rm -rf "$T"; }
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }
DB=$(vg_new_db "$T" cfg) || fail "new store"
G=$ROOT/data/gazetteer-libourne.csv
printf 'config-password-1\n' > "$T/pw"
"$V" users add op --db "$DB" --role operator --password-file "$T/pw" >/dev/null || fail "users add"

# serve GAZETTEER: start the server in the background; wait until it exits
# or says "listening" (10 s at most); sets $rc ("" while it still runs)
serve() {
  rm -f "$T/out" "$T/err"
  "$V" serve --db "$DB" --listen 127.0.0.1:0 --web "$ROOT/web" --purge-hours 0 \
    --gazetteer "$1" >"$T/out" 2>"$T/err" &
  PID=$!
  rc=""
  i=0
  while [ $i -lt 50 ]; do
    if ! kill -0 "$PID" 2>/dev/null; then wait "$PID"; rc=$?; PID=""; return; fi
    grep -q listening "$T/out" && return
    sleep 0.2; i=$((i + 1))
  done
}
# refused WHAT PATTERN: the server exited non-zero, said PATTERN on stderr,
# never listened
refused() {
  [ -n "$rc" ] || { kill "$PID"; wait "$PID" 2>/dev/null; PID=""; fail "$1: the server started ($(cat "$T/out"))"; }
  [ "$rc" -ne 0 ] || fail "$1: exit status 0"
  grep -q listening "$T/out" && fail "$1: it said listening"
  grep -q -F -- "$2" "$T/err" || fail "$1: stderr lacks \"$2\": $(cat "$T/err")"
  echo "$1: exit $rc, $(cat "$T/err")"
}

serve /nonexistent/gazetteer.csv
refused "missing gazetteer" "/nonexistent/gazetteer.csv"

{ head -n 4 "$G"; echo 'Rue Cassée,street,abc,44.9'; tail -n +5 "$G"; } > "$T/bad.csv"
serve "$T/bad.csv"
refused "malformed gazetteer" "$T/bad.csv:5"
grep -q -F '"abc"' "$T/err" || fail "malformed gazetteer: the value is not named"

serve "$G"
[ -z "$rc" ] && grep -q listening "$T/out" || fail "good gazetteer: did not start ($(cat "$T/err"))"
kill "$PID"; wait "$PID" 2>/dev/null; PID=""
echo "good gazetteer: listening"

if [ "$VIGIE_BACKEND" = sqlite ]; then
  printf 'not a classifier\n' > "$DB.classifier"
  serve "$G"
  refused "damaged classifier" "$DB.classifier"
  rm -f "$DB.classifier"
fi
echo "PASS"

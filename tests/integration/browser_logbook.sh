#!/bin/sh
# browser_logbook.sh — the logbook form, review queue and retention panel
# in Debian's headless chromium (tests/browser/logbook.test.js) against a
# real `vigie serve` on the Chicago area layer (lon/lat: the French
# gazetteer does not cover Chicago).  Then the planted name and phone number
# typed in the form are searched in the store (SQL on both back ends, and
# the SQLite file bytes) and in the audit trail: they must be absent.
# Skips (77) only when /usr/bin/chromium is absent.
set -u
[ -x /usr/bin/chromium ] || { echo "chromium absent (apt-get install chromium)"; exit 77; }
ROOT=${VIGIE_ROOT:-$PWD}
BUILD=${BUILD:-build}
V=${VIGIE:-$ROOT/$BUILD/vigie}
DATA=${VIGIE_DATA:-$ROOT/../shared/data}
command -v node >/dev/null || { echo "FAIL: node is missing (scripts/install-deps)"; exit 1; }
if [ ! -d "$ROOT/tests/browser/node_modules/playwright-core" ]; then
  (cd "$ROOT/tests/browser" && npm install --no-audit --no-fund --silent) || { echo "FAIL: npm install"; exit 1; }
fi
. "$ROOT/tests/helpers/store_lib.sh"
VIGIE_BACKEND=${VIGIE_BACKEND:-sqlite}
T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; vg_drop_dbs "$T"; rm -rf "$T"; }
trap cleanup EXIT INT TERM
DB=$(vg_new_db "$T" lbui) || exit 1
set -e
"$V" import areas --db "$DB" --layer community_areas --id-field area_numbe --name-field community \
  --pop-field TOT_POP "$DATA/boundaries/chicago/Chicago_2020.geojson" >/dev/null
PW=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$PW" > "$T/pw"
"$V" users add op --db "$DB" --role operator --password-file "$T/pw"
"$V" users add ana --db "$DB" --role analyst --password-file "$T/pw"
"$V" users add adm --db "$DB" --role admin --password-file "$T/pw"
set +e
"$V" serve --db "$DB" --listen 127.0.0.1:0 --web "$ROOT/web" --purge-hours 0 >"$T/serve.out" 2>"$T/serve.err" &
PID=$!
i=0
while [ $i -lt 50 ] && ! grep -q listening "$T/serve.out"; do sleep 0.2; i=$((i + 1)); done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$T/serve.out")
[ -n "$URL" ] || { echo "FAIL: server did not start"; cat "$T/serve.err"; exit 1; }
OUT="$ROOT/$BUILD/browser"
mkdir -p "$OUT"
NAME=Zwemmerbachsky
PHONE="06 47 58 69 21"
VIGIE_URL=$URL VIGIE_PASSWORD=$PW VIGIE_OPERATOR=op VIGIE_ANALYST=ana VIGIE_ADMIN=adm \
  PLANTED_NAME=$NAME PLANTED_PHONE=$PHONE LON=-87.6298 LAT=41.8781 OUT="$OUT" \
  timeout 300 node "$ROOT/tests/browser/logbook.test.js"
rc=$?
# the planted strings are nowhere: store rows, store file bytes, audit trail
n=$(vg_sql "$DB" "SELECT count(*) FROM incident WHERE text LIKE '%$NAME%' OR text LIKE '%47 58%'")
[ "$n" = 0 ] || { echo "FAIL: planted text in the incident table"; rc=1; }
n=$(vg_sql "$DB" "SELECT count(*) FROM incident WHERE text LIKE '%[NOM]%[TEL]%'")
[ "$n" = 1 ] || { echo "FAIL: the scrubbed entry is not stored once ($n)"; rc=1; }
for f in "$DB" "$DB-wal" "$DB.audit"; do
  [ -f "$f" ] || continue
  if grep -a -q -F -e "$NAME" -e "$PHONE" "$f"; then echo "FAIL: planted string in $f"; rc=1; fi
done
"$V" audit show --db "$DB" --format json > "$T/audit.json"
grep -q "POST /api/v1/logbook" "$T/audit.json" || { echo "FAIL: the form post is not audited"; rc=1; }
if grep -q -F -e "$NAME" -e "47 58" "$T/audit.json"; then echo "FAIL: planted string in the audit trail"; rc=1; fi
grep -q "PUT /api/v1/retention" "$T/audit.json" || { echo "FAIL: retention change not audited"; rc=1; }
"$V" retention show --db "$DB" | grep -q "logbook *365 days" || { echo "FAIL: retention show disagrees"; rc=1; }
[ $rc = 0 ] && echo "planted name and phone absent from store and audit trail; PASS"
exit $rc

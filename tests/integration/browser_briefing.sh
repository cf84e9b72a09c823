#!/bin/sh
# browser_briefing.sh — the briefing in Debian's headless chromium against a
# real `vigie serve` on the Chicago data: login, map draws the areas, list =
# API, language switch, PDF print on 1-2 A4 pages; as an analyst the map,
# statistics charts and models views against the API; screenshots kept under
# $BUILD/browser/.  Skips (77) only when /usr/bin/chromium is absent.
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
T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; vg_drop_dbs "$T"; rm -rf "$T"; }
trap cleanup EXIT INT TERM
DB=$(vg_new_db "$T" chicago) || exit 1
set -e
"$V" import areas --db "$DB" --layer community_areas --id-field area_numbe --name-field community \
  --pop-field TOT_POP "$DATA/boundaries/chicago/Chicago_2020.geojson" >/dev/null
"$V" import incidents --db "$DB" --profile chicago-aggravated-assaults-2010-2019 \
  "$DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv" >/dev/null
# a gate decision of each kind, as `vigie models publish` writes them
# (keys in src/report/briefing.h): published for the day shift, refused at night
FIX=""
if command -v sqlite3 >/dev/null && command -v psql >/dev/null; then
  vg_sql "$DB" "INSERT INTO meta(key,value) VALUES
    ('published:coups_blessures:day','kde:bandwidth=200'),
    ('gate:kde:bandwidth=200:coups_blessures:day','fixture: beats the best baseline by 12 % PAI'),
    ('gate-why:coups_blessures:night','fixture: no candidate beat the baseline')"
  FIX=1
fi
PW=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$PW" > "$T/pw"
"$V" users add night --db "$DB" --role operator --password-file "$T/pw"
"$V" users add ana --db "$DB" --role analyst --password-file "$T/pw"
"$V" users add aud --db "$DB" --role auditor --password-file "$T/pw"
set +e
# the Chicago records are 2010-2019: keep them past the default 3-year
# retention, or the server's start-up purge would (rightly) delete them
"$V" retention set incident=forever --db "$DB" >/dev/null
"$V" serve --db "$DB" --listen 127.0.0.1:0 --web "$ROOT/web" >"$T/serve.out" 2>"$T/serve.err" &
PID=$!
i=0
while [ $i -lt 50 ] && ! grep -q listening "$T/serve.out"; do sleep 0.2; i=$((i + 1)); done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$T/serve.out")
[ -n "$URL" ] || { echo "FAIL: server did not start"; cat "$T/serve.err"; exit 1; }
mkdir -p "$ROOT/$BUILD/browser"
VIGIE_GATE_FIXTURE=$FIX VIGIE_URL=$URL VIGIE_USER=night VIGIE_PASSWORD=$PW VIGIE_ANALYST=ana VIGIE_ANALYST_PASSWORD=$PW VIGIE_AUDITOR=aud OUT="$ROOT/$BUILD/browser" \
  timeout 600 node "$ROOT/tests/browser/briefing.test.js"
rc=$?
# every API read was audited, the password never was
"$V" audit show --db "$DB" --what "GET /api/v1/briefing" | grep -q "GET /api/v1/briefing" || { echo "FAIL: briefing read not audited"; rc=1; }
"$V" audit show --db "$DB" --format json | grep -q "$PW" && { echo "FAIL: password in the audit log"; rc=1; }
exit $rc

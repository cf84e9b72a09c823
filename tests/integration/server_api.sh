#!/bin/sh
# server_api.sh — `vigie serve` on the real Chicago data, over HTTP with curl.
# Independent checks: incident totals and per-area monthly counts against
# SQL run by the sqlite3 tool (local months via TZ=America/Chicago), the
# briefing's ranking against `vigie forecast`, refusals without a session,
# oversized bodies, the purpose rule, and the audit trail.
set -u
ROOT=${VIGIE_ROOT:-$PWD}
BUILD=${BUILD:-build}
V=${VIGIE:-$ROOT/$BUILD/vigie}
DATA=${VIGIE_DATA:-$ROOT/../shared/data}
PY=/usr/bin/python3
command -v curl >/dev/null && command -v sqlite3 >/dev/null || { echo "curl/sqlite3 missing"; exit 77; }
. "$ROOT/tests/helpers/store_lib.sh"
T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; vg_drop_dbs "$T"; rm -rf "$T"; }
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }
DB=$(vg_new_db "$T" c) || fail "new store"
# local month of t_start (America/Chicago), in each back end's SQL
if [ "$VIGIE_BACKEND" = postgres ]; then
  MONTH="to_char(to_timestamp(%s) AT TIME ZONE 'America/Chicago', 'YYYY-MM')"
else
  MONTH="strftime('%%Y-%%m', %s, 'unixepoch', 'localtime')"
fi
month() { printf "$MONTH" "$1"; }
"$V" import areas --db "$DB" --layer community_areas --id-field area_numbe --name-field community \
  --pop-field TOT_POP "$DATA/boundaries/chicago/Chicago_2020.geojson" >/dev/null || fail import areas
"$V" import incidents --db "$DB" --profile chicago-aggravated-assaults-2010-2019 \
  "$DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv" >/dev/null || fail import
printf 'analyst-password-1\n' > "$T/pw"
"$V" users add ana --db "$DB" --role analyst --password-file "$T/pw" >/dev/null || fail users add
"$V" users add sup --db "$DB" --role supervisor --password-file "$T/pw" >/dev/null || fail users add
"$V" users add aud --db "$DB" --role auditor --password-file "$T/pw" >/dev/null || fail users add
# retention: incidents 5000 days, so the server's start-up purge deletes the
# oldest years (2010 to about 2013, relative to today) and keeps 2019
"$V" retention set incident=5000 --db "$DB" >/dev/null || fail "retention set"
# the town's own map tiles (one 1x1 PNG stands for the folder)
mkdir -p "$T/tiles/12/1050"
printf 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' | base64 -d > "$T/tiles/12/1050/1522.png"
"$V" serve --db "$DB" --listen 127.0.0.1:0 --web "$ROOT/web" --tiles "$T/tiles" >"$T/out" 2>"$T/err" &
PID=$!
i=0; while [ $i -lt 50 ] && ! grep -q listening "$T/out"; do sleep 0.2; i=$((i + 1)); done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\)\/ .*/\1/p' "$T/out")
[ -n "$URL" ] || { cat "$T/err"; fail "server did not start"; }
A=$URL/api/v1
# the start-up purge runs first (in its thread); wait for it so that what
# follows reads a settled store
i=0; while [ $i -lt 150 ] && ! grep -q "retention purge" "$T/err"; do sleep 0.2; i=$((i + 1)); done
login() { curl -s -c "$T/$1.jar" -H 'Content-Type: application/json' \
  -d "{\"user\":\"$1\",\"password\":\"analyst-password-1\"}" "$A/login"; }
login ana > "$T/ana.json" || fail login
login sup > /dev/null || fail login
login aud > /dev/null || fail login
get() { curl -s -b "$T/$1.jar" -w '\n%{http_code}' "$2"; }
json() { $PY -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$2"; }

# 1. without a session every data route answers 401
for p in briefing areas forecast?category=coups_blessures incidents stats models users audit me; do
  c=$(curl -s -o /dev/null -w '%{http_code}' "$A/$p"); [ "$c" = 401 ] || fail "GET /$p without session: $c"
done
# 2. oversized body refused before it is read
c=$(head -c 200000 /dev/zero | tr '\0' 'a' | curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @- "$A/login")
[ "$c" = 413 ] || fail "oversized login body: $c"
# 3. incident totals against SQL: March 2019 in WOODLAND? -> area 42 (WOODLAWN), local month
get ana "$A/incidents?from=2019-03-01&to=2019-03-31&area=WOODLAWN&limit=5" > "$T/inc"
[ "$(tail -1 "$T/inc")" = 200 ] || fail "incidents: $(cat "$T/inc")"
sed '$d' "$T/inc" > "$T/inc.json"
got=$(json "d['total']" "$T/inc.json")
idx=$(vg_sql "$DB" "SELECT idx FROM area WHERE name='WOODLAWN'")
want=$(TZ=America/Chicago vg_sql "$DB" "SELECT count(*) FROM incident WHERE area=$idx AND $(month t_start)='2019-03'")
echo "incidents WOODLAWN 2019-03: api $got, sql $want"
[ "$got" = "$want" ] && [ "$want" -gt 0 ] || fail "incident total $got != $want"
n=$(json "len(d['items'])" "$T/inc.json"); [ "$n" = 5 ] || fail "limit 5 gave $n rows"
json "'address' in d['items'][0] or 'source_id' in d['items'][0]" "$T/inc.json" | grep -q False || fail "incident rows carry address/source_id"
# 4. stats by area for a month against SQL GROUP BY
get ana "$A/stats?by=area&from=2019-03-01&to=2019-03-31" | sed '$d' > "$T/st.json"
TZ=America/Chicago vg_sql "$DB" "SELECT a.id, count(*) FROM incident i JOIN area a ON a.idx=i.area AND a.layer='community_areas' WHERE $(month i.t_start)='2019-03' GROUP BY a.id" | tr '|' ' ' | sort > "$T/sql.txt"
$PY -c "import json,sys; d=json.load(open(sys.argv[1])); [print(r['area_id'], int(r['count'])) for r in d['rows'] if r['count']>0 and r['area_id']]" "$T/st.json" | sort > "$T/api.txt"
cmp -s "$T/sql.txt" "$T/api.txt" || { diff "$T/sql.txt" "$T/api.txt" | head; fail "stats per area != SQL"; }
echo "stats per area 2019-03: $(wc -l < "$T/api.txt") areas equal to SQL"
# 5. briefing ranking = vigie forecast ranking (same run through report/briefing.c)
get ana "$A/briefing?date=2019-06-01&shift=night&category=coups_blessures&top=10" | sed '$d' > "$T/b.json"
"$V" forecast --db "$DB" --date 2019-06-01 --shift night --category coups_blessures --top 10 --format json > "$T/f.json" || fail forecast
a=$(json "[f['properties']['id'] for f in d['sections'][0]['forecast']['features']]" "$T/b.json")
b=$(json "[c['id'] for c in d['cells']]" "$T/f.json")
[ "$a" = "$b" ] || fail "briefing $a != forecast $b"
json "d['sections'][0]['evidence']" "$T/b.json" | grep -q "no model published: no model has passed the publication gate" || fail "evidence line"
# every computed forecast is recorded and replays bit for bit from the CLI
seq=$(json "d['sections'][0]['audit_seq']" "$T/b.json")
[ "$seq" -gt 0 ] || fail "briefing section without an audit record"
"$V" forecast --db "$DB" --replay "$seq" > "$T/replay" 2>&1 || fail "replay of $seq: $(tail -3 "$T/replay")"
grep -q "^MATCH" "$T/replay" || fail "replay did not match"
# 6. supervisors must give a purpose; with one, it is audited
c=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/sup.jar" "$A/incidents?limit=1"); [ "$c" = 403 ] || fail "no purpose: $c"
c=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/sup.jar" -H 'X-Purpose: PV 2019-0412 verification' "$A/incidents?limit=1")
[ "$c" = 200 ] || fail "with purpose: $c"
"$V" audit show --db "$DB" --format json > "$T/audit.json" || fail "audit show"
grep -q '"purpose":"PV 2019-0412 verification"' "$T/audit.json" || fail "purpose not audited"
grep -q '"user":"ana","role":"analyst","action":"GET /api/v1/stats"' "$T/audit.json" || fail "stats read not audited"
grep -q 'analyst-password-1' "$T/audit.json" && fail "password in the audit log"
# the auditor sees the models and their gate status (what the officers were shown)
get aud "$A/models" > "$T/aum"
[ "$(tail -1 "$T/aum")" = 200 ] || fail "auditor GET models: $(cat "$T/aum")"
# ... and the trail's own proof, as `vigie audit verify` gives it
get aud "$A/audit/verify" > "$T/auv"
[ "$(tail -1 "$T/auv")" = 200 ] || fail "auditor GET audit/verify: $(cat "$T/auv")"
sed '$d' "$T/auv" | $PY -c '
import json, sys
v = json.load(sys.stdin)
assert v["intact"] is True and v["records"] > 5 and v["pruned_through"] == 0 and v["pruned_at"] is None, v' \
  || fail "audit/verify: $(cat "$T/auv")"
get ana "$A/audit/verify" | tail -1 | grep -qx 403 || fail "an analyst may verify the trail"
# ?from/?to are the town's local days: yesterday..tomorrow holds every record, the
# day after tomorrow none
LD() { TZ=$(sqlite3 "$DB" "SELECT value FROM meta WHERE key='study_tz'" 2>/dev/null || echo UTC) date -d "$1" +%F; }
if [ "$VIGIE_BACKEND" = sqlite ]; then
  all=$(get aud "$A/audit?limit=1" | sed '$d' | $PY -c 'import json,sys; print(json.load(sys.stdin)["matching"])')
  win=$(get aud "$A/audit?limit=1&from=$(LD yesterday)&to=$(LD tomorrow)" | sed '$d' | $PY -c 'import json,sys; print(json.load(sys.stdin)["matching"])')
  none=$(get aud "$A/audit?limit=1&from=$(LD '2 days')" | sed '$d' | $PY -c 'import json,sys; print(json.load(sys.stdin)["matching"])')
  [ "$win" -ge "$all" ] && [ "$none" = 0 ] || fail "audit from/to: all $all, window $win, future $none"
fi
# the auditor reads the same hash-chained trail through the API; it verifies
get aud "$A/audit?user=ana&limit=3" > "$T/au"
[ "$(tail -1 "$T/au")" = 200 ] || fail "auditor GET audit: $(cat "$T/au")"
sed '$d' "$T/au" | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert d["source"] == "trail" and d["matching"] >= 3, d
e = d["entries"]
assert len(e) == 3 and all(x["user"] == "ana" for x in e), e
assert [x["seq"] for x in e] == sorted(x["seq"] for x in e)' || fail "auditor view"
c=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/ana.jar" "$A/audit"); [ "$c" = 403 ] || fail "analyst GET audit: $c"
"$V" audit show --db "$DB" --what "users.add" | grep -q "aud" || fail "users add not audited"
"$V" audit verify --db "$DB" --allow-unsigned-tail > /dev/null || fail "audit verify while serving"
# the start-up purge: what it reports is what SQL finds gone, and it is audited
grep "retention purge:" "$T/err" || fail "no start-up purge: $(cat "$T/err")"
deleted=$(sed -n 's/.* \([0-9]*\) deleted .*/\1/p' "$T/err")
cut=$(( $(date +%s) - 5000 * 86400 ))
left=$(vg_sql "$DB" "SELECT count(*) FROM incident WHERE t_start < $cut - 86400")
[ "$deleted" -gt 1000 ] && [ "$left" = 0 ] || fail "purge deleted $deleted, $left old incidents left"
"$V" audit show --db "$DB" --what purge | grep -q "vigie" || fail "server purge not audited"
# local tiles: served with caching, announced in /me, nothing outside the folder
h=$(curl -s -D - -o "$T/tile.png" "$URL/tiles/12/1050/1522.png")
echo "$h" | grep -q "^HTTP/1.1 200" && echo "$h" | grep -qi "^content-type: image/png" \
  && echo "$h" | grep -qi "^cache-control: public" && cmp -s "$T/tile.png" "$T/tiles/12/1050/1522.png" \
  || fail "tile not served: $h"
c=$(curl -s -o /dev/null -w '%{http_code}' "$URL/tiles/12/0/0.png"); [ "$c" = 404 ] || fail "missing tile: $c"
c=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "$URL/tiles/../../../etc/passwd"); [ "$c" = 403 ] || [ "$c" = 404 ] || fail "tile path traversal: $c"
get ana "$A/me" | sed '$d' | grep -q '"tiles":true' || fail "/me does not announce the tiles"
# 7. analysts may not administer
c=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/ana.jar" "$A/users"); [ "$c" = 403 ] || fail "analyst GET users: $c"
echo "server_api: all checks passed"

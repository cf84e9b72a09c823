#!/bin/sh
# audit_purge — retention policy, legal holds and `vigie purge` with an
# injected clock.  The counts are checked against an independent sqlite3
# computation in python; the purge leaves one audit record with counts and
# no content; lifting a hold is audited and releases its records.
set -u
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
CSV=$VIGIE_DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
GEO=$VIGIE_DATA/boundaries/chicago/Chicago_2020.geojson
[ -r "$CSV" ] || exit 77
DB=$T/c.db
awk -F, 'NR==1 || $1 < "2011-01-01"' "$CSV" > "$T/p.csv"
"$VIGIE" import areas --db "$DB" --layer ca --id-field area_numbe --name-field community "$GEO" >/dev/null || fail areas
"$VIGIE" import incidents --db "$DB" --profile chicago-aggravated-assaults-2010-2019 "$T/p.csv" >/dev/null || fail import
"$VIGIE" forecast --db "$DB" --model naive --date 2010-12-20 --category coups_blessures >/dev/null 2>&1 || fail forecast

"$VIGIE" retention set incident=7000,forecast=30 --db "$DB" >/dev/null || fail "retention set"
"$VIGIE" retention set incident=abc --db "$DB" 2>/dev/null && fail "bad policy accepted"
"$VIGIE" retention show --db "$DB" | grep -q "incident   7000 days" || fail "retention show"
"$VIGIE" hold add --db "$DB" --procedure "PV 2024/117" --type incident --from 2010-03-01 \
    --to 2010-03-31 --reason "instruction" --now 2025-01-01 >/dev/null || fail "hold 1"
"$VIGIE" hold add --db "$DB" --procedure "PV 2024/200" --type any --from 2010-04-01 \
    --to 2010-04-30 --area 25 --reason "enquete" --now 2025-01-01 >/dev/null || fail "hold 2"
"$VIGIE" hold add --db "$DB" --procedure "PV X" --type nonsense --from 2010-01-01 --reason r 2>/dev/null && fail "bad type accepted"
"$VIGIE" hold list --db "$DB" | grep -c "IN FORCE" | grep -qx 2 || fail "hold list"

NOW=2029-06-15
# independent expectation: expired = t_start + 7000 d <= now; held = in March 2010
# (any area) or April 2010 in area id 25 (or no area)
/usr/bin/python3 - "$DB" "$NOW" > "$T/expect" <<'PY'
import calendar, sqlite3, sys, time
from datetime import datetime
from zoneinfo import ZoneInfo
c = sqlite3.connect(sys.argv[1])
utc = lambda s: calendar.timegm(time.strptime(s, "%Y-%m-%d"))
# hold dates are the town's calendar days (the store's zone); --now is UTC
tz = ZoneInfo(c.execute("select value from meta where key='study_tz'").fetchone()[0])
ts = lambda s: int(datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=tz).timestamp())
now = utc(sys.argv[2])
idx = c.execute("select idx from area where layer='ca' and id='25'").fetchone()[0]
exp = held = 0
for t, a in c.execute("select t_start, area from incident"):
    if t + 7000 * 86400 > now:
        continue
    exp += 1
    if ts("2010-03-01") <= t < ts("2010-04-01") or (ts("2010-04-01") <= t < ts("2010-05-01") and (a is None or a == idx)):
        held += 1
print(exp, held, exp - held)
PY
read exp held purge < "$T/expect"
[ "$held" -gt 0 ] && [ "$purge" -gt 0 ] || fail "test data do not exercise the holds ($exp $held)"
"$VIGIE" purge --db "$DB" --now $NOW --dry-run > "$T/dry" || fail "dry run"
grep -q "^incident *$exp *$held *$purge\$" "$T/dry" || { cat "$T/dry"; echo "expected $exp $held $purge"; fail "dry-run counts"; }
grep -q "^forecast *1 *0 *1\$" "$T/dry" || fail "forecast past retention"
n0=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from incident').fetchone()[0])" "$DB")
"$VIGIE" purge --db "$DB" --now $NOW > "$T/run" 2>&1 || fail purge
n1=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from incident').fetchone()[0])" "$DB")
[ $((n0 - n1)) -eq "$purge" ] || fail "purged $((n0 - n1)) rows, expected $purge"
"$VIGIE" audit show --db "$DB" --what purge --format json > "$T/purge.json"
grep -q "\"incident\":{\"expired\":$exp,\"held\":$held,\"purged\":$purge}" "$T/purge.json" || fail "purge record counts"
grep -qi "residence\|street\|-87\.\|41\.7" "$T/purge.json" && fail "purge record leaks content"

# lifting is audited; the next purge takes the released records
"$VIGIE" hold lift "PV 2024/117" --db "$DB" --reason "classement sans suite" --now 2029-05-01 >/dev/null || fail lift
"$VIGIE" hold lift "PV 2024/117" --db "$DB" --reason again 2>/dev/null && fail "double lift"
"$VIGIE" audit show --db "$DB" --what hold-lift | grep -q "classement sans suite" || fail "lift not audited"
"$VIGIE" purge --db "$DB" --now $NOW > "$T/run2" 2>/dev/null || fail purge2
held2=$(awk '$1=="incident"{print $3}' "$T/run2")
purged2=$(awk '$1=="incident"{print $4}' "$T/run2")
[ "$purged2" -gt 0 ] && [ "$held2" -lt "$held" ] || fail "lifted hold still keeps records ($held2/$purged2)"
"$VIGIE" audit verify --db "$DB" >/dev/null || fail "trail broken"
echo "audit_purge: ok ($exp expired, $held held, $purge purged; then $purged2 released)"

#!/bin/sh
# audit_report — `vigie audit report` after a day of activity (forecasts, a
# replay, an export, a publication, a hold, a purge): one HTML file that loads
# nothing (no http(s):// URL, no script, no src/href to anything), whose
# counts equal an independent count of the trail in python, that shows the
# stored gate evidence and the fairness file through the integration point.
set -u
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
CSV=$VIGIE_DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
GEO=$VIGIE_DATA/boundaries/chicago/Chicago_2020.geojson
[ -r "$CSV" ] || exit 77
DB=$T/c.db
awk -F, 'NR==1 || $1 < "2010-04-01"' "$CSV" > "$T/p.csv"
"$VIGIE" import areas --db "$DB" --layer ca --id-field area_numbe --name-field community "$GEO" >/dev/null || fail areas
"$VIGIE" import incidents --db "$DB" --profile chicago-aggravated-assaults-2010-2019 "$T/p.csv" >/dev/null || fail import
for m in naive kde; do
  "$VIGIE" forecast --db "$DB" --model $m --date 2010-03-20 --category coups_blessures --user alice >/dev/null 2>"$T/$m.err" || fail "forecast $m"
done
seq=$(sed -n 's/^audit record \([0-9]*\).*/\1/p' "$T/kde.err")
"$VIGIE" forecast --db "$DB" --replay "$seq" --user bob >/dev/null || fail replay
"$VIGIE" export place --db "$DB" --area 25 --from 2010-03-01 --to 2010-03-31 --requester "Juge A, TJ" \
    --reason "CR 1" --out "$T/x.json" --user carol 2>/dev/null || fail export
"$VIGIE" publish stats --db "$DB" --from 2010-01 --to 2010-03 --out "$T/p.csv" --user carol 2>/dev/null || fail publish
"$VIGIE" hold add --db "$DB" --procedure "PV <b>9</b>" --type incident --from 2010-01-01 --to 2010-01-31 \
    --reason "r & d" --user dave >/dev/null || fail hold
"$VIGIE" retention set incident=5000 --db "$DB" --user dave >/dev/null || fail retention
"$VIGIE" purge --db "$DB" --now 2024-01-01 >/dev/null 2>&1 || fail purge
/usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"insert into meta values('gate:kde:coups_blessures','PASSED 2024-05-01: PAI@5% 3.1 vs 2.2 (naive)')\"); c.commit()" "$DB"
cat > "$DB.fairness.json" <<'JSON'
{"model":"naive","category":"coups_blessures","layer":"ca","patrol_dosage":"not logged",
 "hit_rate":{"reported":0.235,"discovered":null,"all":0.235},
 "areas":[{"id":"25","name":"AUSTIN","flagged_share":0.12,"reported_share":0.10,"population_share":0.036},
          {"id":"32","name":"LOOP","flagged_share":0.02,"reported_share":0.03,"population_share":null}]}
JSON
# the period is in the store's local days (America/Chicago, from the import profile)
D0=$(TZ=America/Chicago date +%F)
D1=$(TZ=America/Chicago date -d tomorrow +%F)
"$VIGIE" audit report --db "$DB" --from "$D0" --to "$D1" --out "$T/r.html" 2>"$T/r.err" || { cat "$T/r.err"; fail report; }
[ -s "$T/r.html" ] || fail "no report"
grep -Eiq 'https?://|<script|<link|<img|<iframe| src=| href=|@import|url\(' "$T/r.html" && fail "the report references something outside itself"
/usr/bin/python3 - "$DB.audit" "$T/r.html" "$D0" "$D1" <<'PY' || fail "counts"
import calendar, json, re, sys, time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
trail, html, d0, d1 = sys.argv[1:]
tz = ZoneInfo("America/Chicago")
t0 = int(datetime.strptime(d0, "%Y-%m-%d").replace(tzinfo=tz).timestamp())
t1 = int((datetime.strptime(d1, "%Y-%m-%d") + timedelta(days=1)).replace(tzinfo=tz).timestamp())
recs = [json.loads(l[:l.rindex(',"hash":"')] + "}") for l in open(trail)]
def ts(r): return calendar.timegm(time.strptime(r["time"], "%Y-%m-%dT%H:%M:%SZ"))
# records before the report itself, in the period, without signatures
recs = [r for r in recs if r["action"] not in ("sign", "report") and t0 <= ts(r) < t1]
h = open(html, encoding="utf-8").read()
def shown(i): return int(re.search(r'id="%s">(\d+)<' % i, h).group(1))
assert shown("n-records") == len(recs), (shown("n-records"), len(recs))
assert shown("n-forecasts") == sum(r["action"] == "forecast" for r in recs) == 2
assert shown("n-exports") == sum(r["action"] in ("export", "publish") for r in recs) == 2
assert shown("n-purges") == 1
assert shown("n-users") == len({r["user"] for r in recs}), shown("n-users")
for u in ("alice", "bob", "carol", "dave"):
    assert "<td>%s</td>" % u in h, u
assert "PASSED 2024-05-01" in h and "none recorded" in h      # kde gated, naive not
assert "<td>AUSTIN</td>" in h and "flagged_share" in h         # fairness file rendered
assert "PV &lt;b&gt;9&lt;/b&gt;" in h and "PV <b>9" not in h     # escaped
assert "matched" in h and "<svg" in h
assert "period %s to %s (America/Chicago; all dates and times below are local)" % (d0, d1) in h
print("report:", len(recs), "records")
PY
"$VIGIE" audit show --db "$DB" --what report | grep -q sha256 || fail "report not audited"
# the signed head printed in the report is an anchor the trail satisfies
sed -n 's/.*<code class="anchor">\([^<]*\)<.*/\1/p' "$T/r.html" > "$T/anchor"
[ "$(wc -w < "$T/anchor")" = 5 ] || fail "no anchor in the report"
"$VIGIE" audit verify --db "$DB" --anchor "$T/anchor" >/dev/null || fail "the report's anchor does not verify"
echo "audit_report: ok"

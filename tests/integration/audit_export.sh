#!/bin/sh
# audit_export — `vigie export place` by area and by bbox: the incident counts
# equal an independent sqlite count, free text is scrubbed on the way out,
# health-partner text never leaves, stored forecasts whose places fall in the
# place are included, and the file's SHA-256 is in the audit record.
set -u
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
CSV=$VIGIE_DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
GEO=$VIGIE_DATA/boundaries/chicago/Chicago_2020.geojson
[ -r "$CSV" ] || exit 77
DB=$T/c.db
awk -F, 'NR==1 || $1 < "2010-07-01"' "$CSV" > "$T/p.csv"
"$VIGIE" import areas --db "$DB" --layer ca --id-field area_numbe --name-field community "$GEO" >/dev/null || fail areas
"$VIGIE" import incidents --db "$DB" --profile chicago-aggravated-assaults-2010-2019 "$T/p.csv" >/dev/null || fail import
"$VIGIE" forecast --db "$DB" --model naive --date 2010-06-10 --category coups_blessures --units areas >/dev/null 2>&1 || fail forecast
# two incidents with free text in area 25 (as a logbook and a health partner would give)
/usr/bin/python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
idx = c.execute("select idx from area where layer='ca' and id='25'").fetchone()[0]
r = c.execute("select dataset_id, cat, lon, lat, x, y, import_id from incident where area=? limit 1", (idx,)).fetchone()
for k, (src, txt) in enumerate([("logbook", "appel du 06 12 34 56 78 pour tapage"),
                                ("partner:health", "suivi medical confidentiel")]):
    c.execute("insert into incident(dataset_id,dkey,t_start,t_end,tz,time_known,cat,lon,lat,x,y,area,text,source,origin,import_id)"
              " values(?,?,?,?,'America/Chicago',1,?,?,?,?,?,?,?,?,'reported',?)",
              (r[0], -1 - k, 1276000000, 1276000000, r[1], r[2], r[3], r[4], r[5], idx, txt, src, r[6]))
c.commit()
PY
"$VIGIE" export place --db "$DB" --area 25 --from 2010-06-01 --to 2010-06-30 \
    --requester "Juge A, TJ Chicago" --reason "CR 2024/9" --out "$T/a.json" 2>"$T/a.err" || { cat "$T/a.err"; fail "export area"; }
"$VIGIE" export place --db "$DB" --bbox -87.75,41.85,-87.70,41.90 --from 2010-06-01 --to 2010-06-30 \
    --requester "CNIL" --reason "controle" --out "$T/b.json" 2>/dev/null || fail "export bbox"
"$VIGIE" export place --db "$DB" --area 25 --from 2010-06-01 --to 2010-06-30 --requester "" --reason x --out "$T/c.json" 2>/dev/null && fail "empty requester accepted"
/usr/bin/python3 - "$DB" "$T/a.json" "$T/b.json" <<'PY' || fail "counts"
import json, sqlite3, sys
from datetime import datetime
from zoneinfo import ZoneInfo
c = sqlite3.connect(sys.argv[1])
# --from/--to are the town's calendar days (the store's zone)
tz = ZoneInfo(c.execute("select value from meta where key='study_tz'").fetchone()[0])
ts = lambda s: int(datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=tz).timestamp())
f, t = ts("2010-06-01"), ts("2010-07-01")
idx = c.execute("select idx from area where layer='ca' and id='25'").fetchone()[0]
na = c.execute("select count(*) from incident where area=? and t_start>=? and t_start<?", (idx, f, t)).fetchone()[0]
nb = c.execute("select count(*) from incident where lon between -87.75 and -87.70 and lat between 41.85 and 41.90"
               " and t_start>=? and t_start<?", (f, t)).fetchone()[0]
a, b = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
assert a["counts"]["incidents"] == len(a["incidents"]) == na, (na, a["counts"])
assert b["counts"]["incidents"] == len(b["incidents"]) == nb, (nb, b["counts"])
texts = [i["text"] for i in a["incidents"] if i["text"]]
assert texts == ["appel du [TEL] pour tapage"], texts
assert a["counts"]["forecasts"] == 1 and a["forecasts"][0]["places"][0]["unit"] == "25", a["forecasts"]
print("export: area", na, "bbox", nb)
PY
grep -q "confidentiel" "$T/a.json" && fail "health text exported"
h=$(sha256sum "$T/a.json" | cut -d' ' -f1)
"$VIGIE" audit show --db "$DB" --what export --format json | grep "$h" | grep -q '"requester":"Juge A, TJ Chicago"' || fail "export not audited with its hash"
echo "audit_export: ok"

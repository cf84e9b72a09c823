#!/bin/sh
# eval_publish.sh — the publication gate end to end.
# Synthetic incidents drawn (seeded) around five fixed hot spots with a
# 600 m spread, about 1.5 a night over 2018-2019 on Chicago's map: sparse
# enough that per-cell counts (the naive baselines) are noisy and a kernel
# density model must beat them.  Checks: before any publication the briefing
# lists the best naive baseline and says so; a baseline cannot be published;
# kde passes the gate, is stored, and becomes the default model of
# `vigie forecast` with its evidence line; a refused candidate leaves the
# published model in place; every decision is in the (intact) audit trail;
# `vigie tune` records every setting and picks the best validation PAI.
set -u
ROOT=${VIGIE_ROOT:-$PWD}
BUILD=${BUILD:-build}
V=${VIGIE:-$ROOT/$BUILD/vigie}
DATA=${VIGIE_DATA:-$ROOT/../shared/data}
PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }
DB=$T/s.db
$PY - "$T/ev.csv" <<'EOF'
import random, datetime, sys
random.seed(7)
hot = [(-87.70, 41.85), (-87.64, 41.78), (-87.75, 41.92), (-87.62, 41.88), (-87.68, 41.97)]
w = [5, 3, 2, 2, 1]
out = open(sys.argv[1], 'w')
out.write("date,loc_cat,longitude,latitude,district\n")
d = datetime.date(2018, 1, 1)
while d <= datetime.date(2019, 12, 31):
    for _ in range(random.choice([0, 1, 1, 2, 2, 3])):
        hx, hy = random.choices(hot, weights=w)[0]
        x = hx + random.gauss(0, 600.0) / 83000.0
        y = hy + random.gauss(0, 600.0) / 111000.0
        out.write("%s %02d:%02d,street,%.5f,%.5f,1\n"
                  % (d.isoformat(), random.choice([20, 21, 22, 23]), random.randint(1, 59), x, y))
    d += datetime.timedelta(days=1)
EOF
"$V" import areas --db "$DB" --layer community_areas --id-field area_numbe --name-field community \
  --pop-field TOT_POP "$DATA/boundaries/chicago/Chicago_2020.geojson" >/dev/null || fail import areas
"$V" import incidents --db "$DB" --profile "$ROOT/profiles/chicago-aggravated-assaults-2010-2019.profile" \
  "$T/ev.csv" >/dev/null || fail import
P="--db $DB --category coups_blessures --from 2019-07-01 --to 2019-12-30 --threads 2"
F="--db $DB --date 2019-12-31 --category coups_blessures --top 5"

# 1. nothing published yet: the briefing is the long-run average, and says so
"$V" forecast $F > "$T/f0" 2>&1 || fail "forecast before publication"
grep -q "^modèle average" "$T/f0" || fail "default model without publication: $(head -1 "$T/f0")"
grep -q "no model published" "$T/f0" || fail "no evidence line before publication"

# 2. a naive baseline cannot be published (refused before any backtest)
"$V" models publish naive:days=28 $P --by alice > "$T/p1" 2>&1 && fail "a baseline was published"
grep -q "not published" "$T/p1" || fail "refusal without reason: $(tail -1 "$T/p1")"

# 3. kde passes; it becomes the default with its evidence line
"$V" models publish kde $P --by alice > "$T/p2" 2>&1 || fail "kde refused: $(tail -2 "$T/p2")"
grep -q "^published kde for coups_blessures (night shift): beats the best baseline (" "$T/p2" \
  || fail "publish message: $(tail -1 "$T/p2")"
"$V" models status --db "$DB" --category coups_blessures | grep -q "published model kde — beats" \
  || fail "status after publication"
"$V" forecast $F > "$T/f1" 2>&1 || fail "forecast after publication"
grep -q "^modèle kde" "$T/f1" || fail "default model after publication: $(head -1 "$T/f1")"
grep -q "^beats the best baseline" "$T/f1" || fail "evidence line after publication"
"$V" forecast $F --format json | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert d["evidence"].startswith("beats the best baseline"), d["evidence"]' || fail "json evidence"
# an explicit unpublished model is labelled as such
"$V" forecast $F --model prospective | grep -q "not published (analyst view)" || fail "unpublished label"

# 4. a refused candidate (two weeks of counts: noisier than every baseline) leaves kde published
"$V" models publish naive:days=14 $P --by bob > "$T/p3" 2>&1 && fail "naive:days=14 published"
grep -q "does not beat the best baseline" "$T/p3" || fail "refusal reason: $(tail -1 "$T/p3")"
"$V" models status --db "$DB" --category coups_blessures | grep -q "published model kde" \
  || fail "refusal withdrew the published model"

# 5. every decision audited, trail intact
"$V" audit show --db "$DB" --what model.publish | grep -q "alice .*kde" || fail "publish not audited"
n=$("$V" audit show --db "$DB" --what model.refuse | grep -c "publication gate")
[ "$n" = 1 ] || fail "refusals audited: $n"
"$V" audit verify --db "$DB" --allow-unsigned-tail > /dev/null || fail "audit verify"
# 5b. the gate's backtest report is stored and served (Models page link),
# self-contained, under a sandboxing CSP; none for a category never gated
printf 'analyst-password-1\n' > "$T/pw"
"$V" users add ana --db "$DB" --role analyst --password-file "$T/pw" >/dev/null || fail "users add"
"$V" serve --db "$DB" --listen 127.0.0.1:0 --purge-hours 0 --web "$ROOT/web" >"$T/out" 2>"$T/err" &
SPID=$!
i=0; while [ $i -lt 50 ] && ! grep -q listening "$T/out"; do sleep 0.2; i=$((i + 1)); done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\)\/ .*/\1/p' "$T/out")
curl -s -c "$T/jar" -H 'Content-Type: application/json' -d '{"user":"ana","password":"analyst-password-1"}' \
  "$URL/api/v1/login" >/dev/null || { kill $SPID; fail login; }
h=$(curl -s -b "$T/jar" -D - -o "$T/report.html" "$URL/api/v1/models/report?category=coups_blessures")
c=$(curl -s -b "$T/jar" -o /dev/null -w '%{http_code}' "$URL/api/v1/models/report?category=vol_violent")
kill $SPID; wait $SPID 2>/dev/null
echo "$h" | grep -q "^HTTP/1.1 200" && echo "$h" | grep -qi "^content-type: text/html" \
  && echo "$h" | grep -qi "^content-security-policy: .*sandbox" || fail "report response: $h"
grep -q "<svg" "$T/report.html" && grep -q "naive:days=14" "$T/report.html" || fail "report content"
grep -qi "<script\|https\?://" "$T/report.html" && fail "report is not self-contained"
[ "$c" = 404 ] || fail "report of a category never gated: $c"

# 6. vigie tune: every setting is recorded; the best is the highest validation PAI
"$V" tune --db "$DB" --model kde --axis 'bandwidth=100|400' --val-from 2019-03-01 --val-to 2019-04-30 \
  --test-from 2019-07-01 --test-to 2019-08-31 --category coups_blessures --units grid:150 \
  --units grid:300:150:150 --threads 2 --format json > "$T/tune.json" 2>/dev/null || fail "tune"
$PY - "$T/tune.json" <<'EOF2' || fail "tune output"
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["units"] for r in d["runs"]] == ["grid:150", "grid:300:150:150"], d["runs"]
for r in d["runs"]:
    names = [t["setting"] for t in r["trials"]]
    assert names == ["kde:bandwidth=100", "kde:bandwidth=400"], names
    best = max(r["trials"], key=lambda t: t["pai"])
    assert r["best"] == best["setting"], (r["best"], best)
    models = [m["name"] for m in r["test"]["models"]]
    assert models[0] == r["best"] and "average" in models, models
EOF2
echo "ok: gate refuses baselines, publishes kde, briefing follows, all audited"

#!/bin/sh
# The patrol feedback simulator on a slice of the real Chicago data
# (2015-2016 aggravated assaults): without the Ensign correction patrols
# concentrate more than with it, and with it the concentration is close to
# the no-feedback reference (discovery rate 0: the model sees reported
# incidents only).  Also: `vigie audit fairness` shares sum to 1 and its
# hit rate equals the backtest's within the boundary-cell rounding, and
# `vigie briefing` leaves drug use out unless a supervisor's override,
# which is logged.
set -eu
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
CSV=$VIGIE_DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
GEO=$VIGIE_DATA/boundaries/chicago/Chicago_2020.geojson
[ -f "$CSV" ] || exit 77
PY=/usr/bin/python3
awk -F, 'NR==1 || ($1 >= "2015-01-01" && $1 < "2017-01-01")' $CSV > $T/slice.csv
$VIGIE import areas --db $T/c.db --layer ca --id-field area_numbe --name-field community --pop-field TOT_POP $GEO > /dev/null
$VIGIE import incidents --db $T/c.db --profile chicago-aggravated-assaults-2010-2019 $T/slice.csv > /dev/null
FB="$VIGIE audit feedback --db $T/c.db --category coups_blessures --from 2016-01-01 --to 2016-09-30 \
  --patrols 27 --report-rate 0.1 --discovery-rate 0.9 --param days=56 --history-days 180"
$FB --format json > $T/fb.json
$FB --discovery-rate 0 --correction none --format json > $T/ref.json
$FB --format svg --out $T/fb.svg
grep -q '<polyline' $T/fb.svg
$PY - $T/fb.json $T/ref.json <<'PY'
import json, sys
fb = json.load(open(sys.argv[1])); ref = json.load(open(sys.argv[2]))
run = {r["correction"]: r for r in fb["runs"]}
none, ens, base = run["none"]["total"], run["ensign"]["total"], ref["runs"][0]["total"]
print("top1 none %.3f ensign %.3f reference %.3f" % (none["top1"], ens["top1"], base["top1"]))
print("gini none %.3f ensign %.3f reference %.3f" % (none["gini"], ens["gini"], base["gini"]))
ok = none["top1"] > ens["top1"] + 0.1 and none["gini"] > ens["gini"]
ok = ok and abs(ens["top1"] - base["top1"]) < 0.5 * (none["top1"] - base["top1"])
# every discovered event is kept without correction, some are dropped with it
ok = ok and none["kept"] == none["reported"] + none["discovered"]
ok = ok and ens["kept"] < ens["reported"] + ens["discovered"]
sys.exit(0 if ok else 1)
PY
# fairness: shares sum to 1, hit rate close to the backtest's
$VIGIE audit fairness --db $T/c.db --layer ca --category coups_blessures --from 2016-09-01 \
  --to 2016-09-30 --model naive --param days=56 --coverage 5 --units grid:300 --format json > $T/fair.json
$VIGIE backtest --db $T/c.db --models naive:days=56 --from 2016-09-01 --to 2016-09-30 --shift night \
  --category coups_blessures --coverage 5 --refit weekly --units grid:300 --format json > $T/bt.json
$PY - $T/fair.json $T/bt.json <<'PY'
import json, sys
f = json.load(open(sys.argv[1])); bt = json.load(open(sys.argv[2]))
sf = sum(a["flagged_share"] for a in f["areas"]); sr = sum(a["reported_share"] for a in f["areas"])
sp = sum(a["population_share"] for a in f["areas"] if a["population_share"] is not None)
m = [x for x in bt["models"] if x["name"] == "naive:days=56"][0]
hb = m["hit_rate"]["5"]
print("shares", sf, sr, sp, "hit rate fairness", f["hit_rate"]["reported"], "backtest", hb)
ok = abs(sf - 1) < 1e-9 and abs(sr - 1) < 1e-9 and abs(sp - 1) < 1e-9
ok = ok and f["patrol_dosage"] == "not logged" and f["hit_rate"]["discovered"] is None
ok = ok and abs(f["hit_rate"]["reported"] - hb) < 0.01
sys.exit(0 if ok else 1)
PY
# briefing: drug use is left out with its reason unless a supervisor overrides (logged)
SS=$VIGIE_DATA/chicago-southside-sample-opencp/example.csv
$VIGIE import incidents --db $T/c.db --profile chicago-southside-sample-opencp $SS > /dev/null
BR="$VIGIE briefing --db $T/c.db --date 2016-12-01 --model naive --param days=365 --top 3"
if $BR --category usage_stupefiants > $T/b1 2> $T/e1; then echo "drug use was not left out"; exit 1; fi
grep -q "stop or search" $T/e1
$BR --category usage_stupefiants --include-police-activity --by chef.dupont > $T/b2
grep -q "included by supervisor override: usage_stupefiants (by chef.dupont" $T/b2
$VIGIE audit show --db $T/c.db --what briefing.include_police_activity > $T/a
grep -q "chef.dupont" $T/a
$VIGIE audit verify --db $T/c.db > /dev/null

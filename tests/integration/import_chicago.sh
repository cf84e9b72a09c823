#!/bin/sh
# Import the real Chicago assault file with community areas and weather:
# every row is accounted for, re-import is idempotent, and the count per
# community area equals an independent ray-casting computation (numpy).
set -eu
. "${VIGIE_ROOT:-.}/tests/helpers/store_lib.sh"
T=$(mktemp -d); trap 'vg_drop_dbs "$T"; rm -rf "$T"' EXIT
DB=$(vg_new_db "$T" c)
CSV=$VIGIE_DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
GEO=$VIGIE_DATA/boundaries/chicago/Chicago_2020.geojson
$VIGIE import areas --db "$DB" --layer ca --id-field area_numbe --name-field community --pop-field TOT_POP $GEO
$VIGIE import incidents --db "$DB" --profile chicago-aggravated-assaults-2010-2019 $CSV > $T/out1
cat $T/out1
rows=$(($(wc -l < $CSV) - 1))
n=$(sed -n 's/.*imported \([0-9]*\), duplicates \([0-9]*\), rejected \([0-9]*\).*/\1 \2 \3/p' $T/out1 | head -1)
set -- $n
echo "rows=$rows imported=$1 duplicates=$2 rejected=$3"
[ $(($1 + $2 + $3)) -eq "$rows" ] || { echo "N+D+R != rows"; exit 1; }
[ "$1" -gt 140000 ] || { echo "too few imported"; exit 1; }
# idempotent: a second import adds nothing
$VIGIE import incidents --db "$DB" --profile chicago-aggravated-assaults-2010-2019 $CSV > $T/out2
grep -q "imported 0, duplicates $(($1 + $2)), rejected $3" $T/out2 || { cat $T/out2; exit 1; }
# weather: 8,884 days, missing never zero
$VIGIE import weather --db "$DB" --profile chicago-ohare-ghcnd \
  $VIGIE_DATA/weather/chicago-ohare-ghcnd/USW00094846_1995-01-01_2019-04-28.csv | tee $T/w
grep -q "imported 8884 days" $T/w
# per-area counts against an independent computation
$VIGIE stats --db "$DB" --by area --from 2000-01-01 --to 2030-12-31 --format csv > $T/stats.csv
/usr/bin/python3 tests/ref/pip_count.py $CSV longitude latitude $GEO area_numbe --unique --crs EPSG:32616 > $T/ref.csv
/usr/bin/python3 - $T/stats.csv $T/ref.csv <<'PY'
import csv, sys
ours = {r["area_id"] or "outside": int(r["count"]) for r in csv.DictReader(open(sys.argv[1]))}
ref = dict((a, int(b)) for a, b in (l.strip().split(",") for l in open(sys.argv[2])))
diff = {k: (ours.get(k, 0), ref.get(k, 0)) for k in set(ours) | set(ref) if ours.get(k, 0) != ref.get(k, 0)}
print("areas:", len(ref) - 1, "total ours", sum(ours.values()), "ref", sum(ref.values()))
print("differences:", diff)
tot = sum(abs(a - b) for a, b in diff.values())
sys.exit(0 if tot == 0 else 1)
PY

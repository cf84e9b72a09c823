#!/bin/sh
# Only events strictly before the window start are used: for every model the
# forecast from the full store equals, to the last bit, the forecast from a
# store that holds only the earlier events.  Also: a night shift on the
# night clocks go back lasts 8.5 hours.
set -eu
. "${VIGIE_ROOT:-.}/tests/helpers/store_lib.sh"
T=$(mktemp -d); trap 'vg_drop_dbs "$T"; rm -rf "$T"' EXIT
FULL=$(vg_new_db "$T" full); EARLY=$(vg_new_db "$T" early)
CSV=$VIGIE_DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
GEO=$VIGIE_DATA/boundaries/chicago/Chicago_2020.geojson
W=$VIGIE_DATA/weather/chicago-ohare-ghcnd/USW00094846_1995-01-01_2019-04-28.csv
# the earlier part: local times before 2016-06-01 20:00 (the window start)
awk -F, 'NR==1 || $1 < "2016-06-01 20:00"' $CSV > $T/early.csv
for db in "$FULL" "$EARLY"; do
  $VIGIE import areas --db "$db" --layer ca --id-field area_numbe --name-field community $GEO > /dev/null
  $VIGIE import weather --db "$db" --profile chicago-ohare-ghcnd $W > /dev/null
done
$VIGIE import incidents --db "$FULL" --profile chicago-aggravated-assaults-2010-2019 $CSV > /dev/null
$VIGIE import incidents --db "$EARLY" --profile chicago-aggravated-assaults-2010-2019 $T/early.csv > /dev/null
for m in naive average season kde prospective stkde etas glm; do
  for db in full early; do
    url=$FULL; [ $db = early ] && url=$EARLY
    $VIGIE forecast --db "$url" --model $m --date 2016-06-01 --shift night \
      --category coups_blessures --format json > $T/$m.$db.json
  done
  cmp $T/$m.full.json $T/$m.early.json || { echo "model $m used the future"; exit 1; }
  grep -q '"events_used":' $T/$m.full.json
  echo "$m: identical ($(wc -c < $T/$m.full.json) bytes)"
done
# the fall-back night (2016-11-05/06 in Chicago) lasts 8.5 hours
$VIGIE forecast --db "$FULL" --model naive --date 2016-11-05 --shift night \
  --category coups_blessures --format json --top 1 > $T/dst.json
grep -q '"start":"2016-11-05T20:00:00-05:00","end":"2016-11-06T03:30:00-06:00","hours":8.5' $T/dst.json
$VIGIE forecast --db "$FULL" --model naive --date 2016-03-12 --shift night \
  --category coups_blessures --format json --top 1 > $T/dst2.json
grep -q '"hours":6.5' $T/dst2.json

#!/bin/sh
# store_backends_identical.sh — the same imports into a SQLite store and a
# PostgreSQL store give byte-identical outputs: forecasts of several models
# (JSON, with the data digest over ids, times and coordinates), per-area
# statistics, the weather-driven GLM, and the incident list of the API's
# store operation (through `vigie stats`).  Runs in the SQLite pass only
# (it drives both back ends itself); skips without a PostgreSQL server.
set -eu
[ "${VIGIE_BACKEND:-sqlite}" = sqlite ] || { echo "compares both back ends in the SQLite pass"; exit 77; }
[ -n "${VIGIE_PG_URL:-}" ] || { echo "no PostgreSQL server (VIGIE_PG_URL; tests/run starts one)"; exit 77; }
VIGIE_BACKEND=postgres
. "${VIGIE_ROOT:-.}/tests/helpers/store_lib.sh"
T=$(mktemp -d); trap 'vg_drop_dbs "$T"; rm -rf "$T"' EXIT
SQ=$T/s.db
PG=$(vg_new_db "$T" ident)
CSV=$VIGIE_DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
GEO=$VIGIE_DATA/boundaries/chicago/Chicago_2020.geojson
W=$VIGIE_DATA/weather/chicago-ohare-ghcnd/USW00094846_1995-01-01_2019-04-28.csv
# the first 3000 rows twice over (duplicates must not move ids), then all
head -3001 "$CSV" > "$T/part.csv"
for b in sq pg; do
  db=$SQ; [ $b = pg ] && db=$PG
  $VIGIE import areas --db "$db" --layer ca --id-field area_numbe --name-field community --pop-field TOT_POP "$GEO" > /dev/null
  $VIGIE import weather --db "$db" --profile chicago-ohare-ghcnd "$W" > /dev/null
  $VIGIE import incidents --db "$db" --profile chicago-aggravated-assaults-2010-2019 "$T/part.csv" > /dev/null
  $VIGIE import incidents --db "$db" --profile chicago-aggravated-assaults-2010-2019 --rejects "$T/rej.$b" "$CSV" > "$T/imp.$b"
done
cmp "$T/imp.sq" "$T/imp.pg" || { echo "import reports differ"; exit 1; }
n=0
for m in naive kde glm; do
  for b in sq pg; do
    db=$SQ; [ $b = pg ] && db=$PG
    $VIGIE forecast --db "$db" --model $m --date 2018-07-14 --shift night \
      --category coups_blessures --format json > "$T/$m.$b.json"
  done
  cmp "$T/$m.sq.json" "$T/$m.pg.json" || { echo "model $m differs between back ends"; exit 1; }
  grep -q '"data_digest":"[0-9a-f]\{64\}"' "$T/$m.sq.json"
  echo "$m: byte-identical ($(wc -c < "$T/$m.sq.json") bytes)"
  n=$((n + 1))
done
for b in sq pg; do
  db=$SQ; [ $b = pg ] && db=$PG
  $VIGIE stats --db "$db" --by area --from 2010-01-01 --to 2020-01-01 --format csv > "$T/stats.$b.csv"
done
cmp "$T/stats.sq.csv" "$T/stats.pg.csv" || { echo "stats differ"; exit 1; }
# the stored rows themselves: ids, keys, times, coordinates to the last bit
q="SELECT id, dataset_id, dkey, t_start, t_end, cat, area, source, origin FROM incident ORDER BY id"
sqlite3 "$SQ" "$q" | md5sum > "$T/rows.sq"
vg_sql "$PG" "$q" | md5sum > "$T/rows.pg"
cmp "$T/rows.sq" "$T/rows.pg" || { echo "stored incident rows differ"; exit 1; }
echo "store_backends_identical: $n forecasts, stats and $(sqlite3 "$SQ" 'SELECT count(*) FROM incident') rows identical"

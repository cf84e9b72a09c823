#!/bin/sh
# bench/store.sh — the two store back ends side by side on the real Chicago
# file (148,636 rows): `vigie import incidents` into a fresh store (one
# transaction; best of 3), a re-import (every row a duplicate), the weather
# file (8,884 days), and loading every event for the models
# (build/store_bench, best of 5).  PostgreSQL: the server of $VIGIE_PG_URL,
# else a throwaway cluster from tests/pg/start.sh (fsync off: it measures
# the work, not the disk).  Results: bench/README-store.md.
# Usage: sh bench/store.sh
set -eu
V=${VIGIE:-build/vigie}
DATA=${VIGIE_DATA:-../shared/data}
CSV=$DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
GEO=$DATA/boundaries/chicago/Chicago_2020.geojson
W=$DATA/weather/chicago-ohare-ghcnd/USW00094846_1995-01-01_2019-04-28.csv
make -s build/store_bench
T=$(mktemp -d)
STARTED=""
if [ -z "${VIGIE_PG_URL:-}" ]; then
  VIGIE_PG_URL=$(tests/pg/start.sh); STARTED=$VIGIE_PG_URL
fi
export VIGIE_PG_URL VIGIE_BACKEND=postgres
. tests/helpers/store_lib.sh
trap 'vg_drop_dbs "$T"; rm -rf "$T"; [ -z "$STARTED" ] || tests/pg/stop.sh "$STARTED"' EXIT
secs() { s=$(date +%s.%N); "$@" > /dev/null; echo "$(date +%s.%N) - $s" | bc -l; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)  ($(nproc) cores)"
for b in sqlite postgres; do
  best=999; last=""
  for i in 1 2 3; do
    if [ $b = sqlite ]; then db=$T/c$i.db; else db=$(vg_new_db "$T" c$i); fi
    $V import areas --db "$db" --layer ca --id-field area_numbe --name-field community $GEO > /dev/null
    t=$(secs $V import incidents --db "$db" --profile chicago-aggravated-assaults-2010-2019 --rejects $T/rej "$CSV")
    best=$(echo "if ($t < $best) $t else $best" | bc -l); last=$db
  done
  printf '%-8s import:   best of 3 %.2f s = %.0f rows/s\n' $b "$best" "$(echo "148636 / $best" | bc -l)"
  t=$(secs $V import incidents --db "$last" --profile chicago-aggravated-assaults-2010-2019 --rejects $T/rej "$CSV")
  printf '%-8s re-import (all duplicates): %.2f s\n' $b "$t"
  t=$(secs $V import weather --db "$last" --profile chicago-ohare-ghcnd --rejects $T/rej "$W")
  printf '%-8s weather (8884 days): %.2f s\n' $b "$t"
  printf '%-8s ' $b; build/store_bench "$last" 5
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

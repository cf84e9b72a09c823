#!/bin/sh
# An import is one transaction: a process killed at any moment leaves the
# store as it was before or after, never half-written.
set -eu
. "${VIGIE_ROOT:-.}/tests/helpers/store_lib.sh"
T=$(mktemp -d); trap 'vg_drop_dbs "$T"; rm -rf "$T"' EXIT
DB=$(vg_new_db "$T" k)
CSV=$VIGIE_DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
# first a small committed import
head -1001 $CSV > $T/small.csv
$VIGIE import incidents --db "$DB" --profile chicago-aggravated-assaults-2010-2019 $T/small.csv
before=$(vg_sql "$DB" 'select count(*) from incident')
# a large synthetic file: the real rows shifted by 0..9 minutes -> 1.4 M rows
awk -F, 'NR==1{print;next} {for(k=0;k<10;k++){split($1,a," "); printf "%s %s:%02d,%s,%s,%s,%s\n", a[1], substr(a[2],1,2), (substr(a[2],4,2)+k)%60, $2,$3,$4,$5}}' $CSV > $T/big.csv
for delay in 0.3 1.0 2.0; do
  $VIGIE import incidents --db "$DB" --profile chicago-aggravated-assaults-2010-2019 $T/big.csv > /dev/null 2>&1 &
  pid=$!
  sleep $delay
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  n=$(vg_sql "$DB" 'select count(*) from incident')
  echo "killed after ${delay}s: $n incidents (before: $before)"
  [ "$VIGIE_BACKEND" = postgres ] || sqlite3 "$DB" 'pragma integrity_check' | grep -qx ok
  [ "$n" -eq "$before" ] || {
    # the import may have finished before the kill: then it must be complete
    full=$(vg_sql "$DB" "select imported from import_run order by id desc limit 1")
    [ -n "$full" ] && [ "$n" -eq $((before + full)) ] || exit 1
    before=$n
  }
done

#!/bin/sh
# bench/import.sh — import throughput and memory.
#   1. the real Chicago file (148,636 rows): parse, validate, project, assign
#      community area, store — wall time and rows/s, best of 3;
#   2. a synthetic 10-million-row file made from the Chicago rows (times
#      shifted so every row is new): peak resident memory (streaming, not
#      slurping) and rows/s.
# Compared with: sqlite3's own `.import` of the same CSV into a bare table
# (no parsing of dates, no projection, no areas) — the floor of any tool that
# stores rows in SQLite.
# Usage: sh bench/import.sh [ROWS_SYNTH]   (default 10000000)
set -eu
V=${VIGIE:-build/vigie}
DATA=${VIGIE_DATA:-../shared/data}
CSV=$DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
GEO=$DATA/boundaries/chicago/Chicago_2020.geojson
N=${1:-10000000}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
rows=$(($(wc -l < $CSV) - 1))
best=999
for i in 1 2 3; do
  rm -f $T/c.db*
  $V import areas --db $T/c.db --layer ca --id-field area_numbe --name-field community $GEO > /dev/null
  s=$(date +%s.%N)
  $V import incidents --db $T/c.db --profile chicago-aggravated-assaults-2010-2019 $CSV > /dev/null
  e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc -l)
  best=$(echo "if ($t < $best) $t else $best" | bc -l)
done
printf 'chicago: %d rows, best of 3: %.3f s = %.0f rows/s (parse+validate+project+area+store, one transaction)\n' \
  $rows $best $(echo "$rows / $best" | bc -l)
rm -f $T/s.db
s=$(date +%s.%N)
sqlite3 $T/s.db ".mode csv" ".import $CSV raw" > /dev/null
e=$(date +%s.%N)
printf 'sqlite3 .import of the same file (text columns only, no validation): %.3f s\n' $(echo "$e - $s" | bc -l)

# synthetic file: each pass shifts every row by k minutes and days
awk -F, -v n=$N 'NR==1{print;next} {r[NR]=$0} END{c=0; for(k=0;c<n;k++) for(i=2;i<=NR && c<n;i++){split(r[i],f,","); split(f[1],dt," "); printf "%s %s:%02d,%s,%s,%s,%s\n", dt[1], substr(dt[2],1,2), (k*7+substr(dt[2],4,2))%60, f[2], f[3]+k*0.00001, f[4], f[5]; c++}}' $CSV > $T/big.csv
ls -la $T/big.csv
rm -f $T/c.db*
$V import areas --db $T/c.db --layer ca --id-field area_numbe --name-field community $GEO > /dev/null
/usr/bin/time -v $V import incidents --db $T/c.db --profile chicago-aggravated-assaults-2010-2019 $T/big.csv > $T/out 2> $T/time
cat $T/out
grep -E 'Maximum resident|Elapsed' $T/time

#!/bin/sh
# `vigie import logbook`: validation, rejects, idempotence, JSON Lines.
#  - the sample's three bad rows go to the rejects with line and reason;
#  - importing the same file again adds nothing (27 duplicates);
#  - the rejects file, fixed (a place that exists, an explicit offset for
#    the ambiguous time, the hour that exists), imports its 3 rows; then
#    importing it again adds nothing;
#  - the same entries as JSON Lines in a fresh store give the same counts
#    and the same stored rows as the CSV (compared with the sqlite3 tool).
set -eu
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DB=$T/a.db
S=tests/data/logbook-libourne/entries.csv
G="--gazetteer data/gazetteer-libourne.csv"
$VIGIE import logbook --db $DB --profile logbook-csv $G --rejects $T/rej.csv $S | tee $T/o1
grep -q "30 rows read: imported 27, duplicates 0, rejected 3" $T/o1
cat $T/rej.csv
[ "$(($(wc -l < $T/rej.csv) - 1))" -eq 3 ]
grep -q '"MC-2024-0011",.*entries.csv",12,"occurred_from ""2024-03-31T02:30:00"" does not exist in Europe/Paris' $T/rej.csv
grep -q '"MC-2024-0012",.*entries.csv",13,"unresolved place: no place matches ""rue des Peupliers""' $T/rej.csv
grep -q '"MC-2024-0028",.*entries.csv",29,"occurred_from ""2024-10-27T02:30:00"" is ambiguous in Europe/Paris.*+02:00 for the first time, +01:00 for the second' $T/rej.csv

$VIGIE import logbook --db $DB --profile logbook-csv $G --rejects $T/rej2.csv $S | tee $T/o2
grep -q "30 rows read: imported 0, duplicates 27, rejected 3" $T/o2

# fix the rejects the way an operator would, and import them
sed -e 's/2024-03-31T02:30:00/2024-03-31T03:30:00/' \
    -e 's/rue des Peupliers/Avenue de Verdun/' \
    -e 's/"2024-10-27T02:30:00"/"2024-10-27T02:30:00+01:00"/' $T/rej.csv > $T/fixed.csv
$VIGIE import logbook --db $DB --profile logbook-csv $G --rejects $T/rej3.csv $T/fixed.csv | tee $T/o3
grep -q "3 rows read: imported 3, duplicates 0, rejected 0" $T/o3
$VIGIE import logbook --db $DB --profile logbook-csv $G --rejects $T/rej4.csv $T/fixed.csv | tee $T/o4
grep -q "3 rows read: imported 0, duplicates 3, rejected 0" $T/o4
$VIGIE import logbook --db $DB --profile logbook-csv $G --rejects $T/rej5.csv $S | grep -q "imported 0, duplicates 27, rejected 3"

# an offset that is not Paris's at that instant is refused; Z is UTC
H=$(head -n 1 $S)
printf '%s\nX1,,2024-07-01T10:00:00+05:00,,,,Rue Thiers,,,autre,\nX2,,2024-07-01T10:00:00Z,,,,Rue Thiers,,,autre,\n' "$H" > $T/off.csv
$VIGIE import logbook --db $DB --profile logbook-csv $G --rejects $T/rej6.csv $T/off.csv | grep -q "imported 1, duplicates 0, rejected 1"
grep -q '"X1",.*has offset +05:00, but Europe/Paris was at +02:00 then' $T/rej6.csv

if command -v sqlite3 >/dev/null 2>&1; then
  # 2024-10-27T02:30:00+01:00 is 01:30 UTC
  [ "$(sqlite3 $DB "SELECT t_start FROM incident WHERE source_id='MC-2024-0028'")" = 1729992600 ]
  [ "$(sqlite3 $DB "SELECT t_start FROM incident WHERE source_id='X2'")" = 1719828000 ]
  [ "$(sqlite3 $DB "SELECT count(*) FROM incident")" = 31 ]
fi

# JSON Lines: the same entries, written with python's csv/json modules
/usr/bin/python3 - "$S" > $T/entries.jsonl <<'PY'
import csv, json, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    o = {k: v for k, v in r.items() if v != ""}
    if "lon" in o: o["lon"] = float(o["lon"]); o["lat"] = float(o["lat"])
    print(json.dumps(o, ensure_ascii=False))
PY
$VIGIE import logbook --db $T/j.db --profile logbook-csv $G --rejects $T/rejj.csv $T/entries.jsonl | tee $T/oj
grep -q "30 rows read: imported 27, duplicates 0, rejected 3" $T/oj
$VIGIE import logbook --db $T/c.db --profile logbook-csv $G --rejects $T/rejc.csv $S > /dev/null
if command -v sqlite3 >/dev/null 2>&1; then
  q="SELECT source_id, t_start, t_end, t_report, cat, round(lon,5), round(lat,5), address, text, source, origin FROM incident ORDER BY source_id"
  sqlite3 $T/j.db "$q" > $T/j.rows
  sqlite3 $T/c.db "$q" > $T/c.rows
  cmp $T/j.rows $T/c.rows
  [ "$(wc -l < $T/j.rows)" -eq 27 ]
fi
echo "logbook import ok"

#!/bin/sh
# A logbook CSV row whose text holds an unquoted comma has more fields than
# the header.  It is rejected with "N fields, expected M" naming the file
# and line, and its rejects row keeps *all* of the text — the fields from
# the text column on are joined back with the comma, scrubbed, and written
# as one quoted CSV field — so that the rejects file, imported again, gives
# the whole entry.  Nothing unscrubbed reaches the rejects file.
#  - before the fix: the text after the comma was lost (only "Mme [NOM]
#    signale le vol de son vélo" was kept) and the reason said "the record
#    has 13 fields, the header 11";
#  - the identifiers planted after the comma (a name after "M.", a phone,
#    a plate) are not in the rejects file, their scrubbed stand-ins are;
#  - the rejects file has as many fields per row as its header (read with
#    Python's csv module), imports its row, and the stored text (read with
#    the sqlite3 tool) is the whole scrubbed text, comma included.
set -eu
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DB=$T/a.db
G="--gazetteer data/gazetteer-libourne.csv"
cat > $T/in.csv <<'CSV'
id,reported_at,occurred_from,occurred_to,source,origin,place,lon,lat,category,text
C1,2024-07-01T10:00:00,2024-07-01T09:30:00,,logbook,reported,Rue Thiers,,,,"Tapage nocturne, voisins avisés."
C2,2024-07-02T10:00:00,2024-07-02T09:30:00,,logbook,reported,Rue Gambetta,,,,Mme Kerbrat signale le vol de son vélo, puis M. Tissandier tél 06 71 22 45 90 a vu la voiture GH-482-TK, "partir" vite
CSV
$VIGIE import logbook --db $DB --profile logbook-csv $G --rejects $T/rej.csv $T/in.csv | tee $T/o1
grep -q "2 rows read: imported 1, duplicates 0, rejected 1" $T/o1
cat $T/rej.csv
[ "$(($(wc -l < $T/rej.csv) - 1))" -eq 1 ]
# the reason names the file and the line, and the counts
grep -q "\"C2\",.*in.csv\",3,\".*in.csv:3: 13 fields, expected 11" $T/rej.csv
# the text after each comma is there, scrubbed
grep -q -F '"Mme [NOM] signale le vol de son vélo, puis M. [NOM] tél [TEL] a vu la voiture [PLAQUE], ""partir"" vite"' $T/rej.csv
for id in Kerbrat Tissandier "06 71 22 45 90" GH-482-TK; do
  if grep -q -F -- "$id" $T/rej.csv; then echo "LEAK in the rejects file: $id"; exit 1; fi
done
# every row of the rejects file has as many fields as its header
/usr/bin/python3 - $T/rej.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 2, rows
assert all(len(r) == len(rows[0]) for r in rows), [len(r) for r in rows]
assert rows[1][10].endswith('[PLAQUE], "partir" vite'), rows[1][10]
PY

# the operator reads the row, finds the text right, imports the file again
$VIGIE import logbook --db $DB --profile logbook-csv $G --rejects $T/rej2.csv $T/rej.csv | tee $T/o2
grep -q "1 rows read: imported 1, duplicates 0, rejected 0" $T/o2
if command -v sqlite3 >/dev/null 2>&1; then
  [ "$(sqlite3 $DB "SELECT text FROM incident WHERE source_id='C2'")" = \
    'Mme [NOM] signale le vol de son vélo, puis M. [NOM] tél [TEL] a vu la voiture [PLAQUE], "partir" vite' ]
fi

# fewer fields than the header: rejected with the same kind of reason
printf 'id,reported_at,occurred_from,occurred_to,source,origin,place,lon,lat,category,text\nC3,,2024-07-03T09:30:00,,logbook\n' > $T/short.csv
$VIGIE import logbook --db $DB --profile logbook-csv $G --rejects $T/rej3.csv $T/short.csv | grep -q "imported 0, duplicates 0, rejected 1"
grep -q '"C3",.*short.csv",2,".*short.csv:2: 5 fields, expected 11' $T/rej3.csv
echo "logbook rejects ok"

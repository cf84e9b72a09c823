#!/bin/sh
# No planted identifier survives anywhere on disk.  A logbook CSV and a JSON
# Lines file carry names (after civilités, "le nommé", "la dénommée",
# "l'individu", first name + surname), phones, e-mails, plates, a NIR, IBANs
# and dates of birth — also in rows that will be rejected (bad time,
# unresolvable place, unknown source, wrong field count, broken JSON,
# health entry without category).  After import, review, training and
# audit, every file the run left (database, -wal/-shm if any, audit trail
# and keys, model, rejects, captured stdout/stderr) is grepped byte for byte
# for every identifier.  Also: partner:health/social rows keep no text.
set -eu
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DB=$T/pii.db
cat > $T/in.csv <<'CSV'
id,reported_at,occurred_from,occurred_to,source,origin,place,lon,lat,category,text
P1,2024-05-02T10:00:00,2024-05-02T09:30:00,,logbook,reported,Rue Gambetta,,,,"Mme Kerbrat signale le vol de son vélo, tél 06 71 22 45 90, mail j.kerbrat@exemple.fr."
P2,2024-05-03T10:00:00,2024-05-03T09:30:00,,logbook,discovered,Cours Tourny,,,,"Le nommé Tissandier, né le 03/05/1987, interpellé pour ivresse publique."
P3,2024-05-04T10:00:00,2024-05-04T09:30:00,,intervention,reported,Place Decazes,,,,"Véhicule immatriculé GH-482-TK et moto 1234 AB 33 en stationnement gênant, propriétaire Kévin Lagardère joint au +33 6 12 34 56 78."
P4,2024-05-05T10:00:00,2024-05-05T09:30:00,,partner:landlord,reported,Quartier Garderose,,,occupation_illicite,"Le locataire M. Brocheriou ne paie plus, NIR 1 84 12 75 123 456 40, IBAN FR14 2004 1010 0505 0001 3M02 606."
P5,2024-05-06T10:00:00,2024-05-06T09:30:00,,partner:health,reported,Hôpital Robert Boulin,,,coups_blessures,"Patiente Mme Ostrowska-Pujade, née le 12/11/1990, tél 0556781234, blessures au visage."
P6,2024-05-07T10:00:00,2024-05-07T09:30:00,,partner:social,reported,Quartier de l'Épinette,,,violences_intrafamiliales,"La dénommée Brochardet signale des violences de son conjoint, joignable sophie.brochardet@exemple.org."
R1,2024-05-08T10:00:00,2024-03-31T02:30:00,,logbook,reported,Rue Thiers,,,,"Dr Ogereau-Vintimille signale un cambriolage, tél 06 98 76 54 32."
R2,2024-05-09T10:00:00,2024-05-09T09:30:00,,logbook,reported,rue des Peupliers,,,,"L'individu Pujolasse a rayé la voiture AB-123-CD, IBAN FR1420041010050500013M02606."
R3,2024-05-10T10:00:00,2024-05-10T09:30:00,,voisin,reported,Rue Thiers,,,,"M. Quéméneur-Saintonge dit que la voisine est née le 01/02/1975, NIR 184127512345640."
R4,2024-05-11T10:00:00,2024-05-11T09:30:00,,logbook,reported,Rue Thiers,,,,Mme Vasseur-Lemoine tél 07 11 22 33 44, extra , field
R5,2024-05-12T10:00:00,2024-05-12T09:30:00,,partner:health,reported,Rue Thiers,,,,"Mme Delacroix-Ferrandi, née le 09/09/1999, consulte pour coups."
R6,2024-05-13T10:00:00,not a time,,logbook,reported,Rue Thiers,,,,"Mlle Hautecloque, 34 ans, tél 06 55 44 33 22, e-mail h.hautecloque@exemple.net."
CSV
cat > $T/in.jsonl <<'JSONL'
{"id":"J1","occurred_from":"2024-06-01T22:00:00","source":"citizen","origin":"reported","place":"Rue Jean Jaurès","text":"Tapage chez M. Zimmermannova, tél 06 41 52 63 74."}
{"id":"J2","occurred_from":"2024-06-02T22:00:00","source":"logbook","place":"nowhere street","text":"Mme Abrahamsenne, née le 04/04/1944, signale un vol."}
{"id":"J3","occurred_from":"2024-06-03T22:00:00","text":"Mme Kowalczykowa tél 06 01 02 03 04" "broken
[1,2,3]
JSONL
# identifiers that must not survive (one per line)
cat > $T/ids <<'IDS'
Kerbrat
06 71 22 45 90
j.kerbrat@exemple.fr
Tissandier
03/05/1987
GH-482-TK
1234 AB 33
Lagardère
+33 6 12 34 56 78
Brocheriou
1 84 12 75 123 456 40
FR14 2004 1010 0505 0001 3M02 606
Ostrowska
12/11/1990
0556781234
Brochardet
sophie.brochardet@exemple.org
Ogereau
06 98 76 54 32
Pujolasse
AB-123-CD
FR1420041010050500013M02606
Quéméneur
01/02/1975
184127512345640
Vasseur
07 11 22 33 44
Delacroix
09/09/1999
Hautecloque
06 55 44 33 22
h.hautecloque@exemple.net
Zimmermannova
06 41 52 63 74
Abrahamsenne
04/04/1944
Kowalczykowa
06 01 02 03 04
IDS
run() { "$@" >>$T/stdout.log 2>>$T/stderr.log; }
# Keep the write-ahead log on disk: create the store empty, then hold a
# read transaction open in another process (sqlite3 tool) during the whole
# run, so the WAL is neither fully checkpointed nor deleted at close and
# its frames can be grepped too.
held=0
if command -v sqlite3 >/dev/null 2>&1; then
  head -n 1 $T/in.csv > $T/empty.csv
  run $VIGIE import logbook --db $DB --profile logbook-csv --gazetteer data/gazetteer-libourne.csv $T/empty.csv
  mkfifo $T/fifo
  sqlite3 $DB < $T/fifo > $T/reader.out 2>&1 &
  exec 3>$T/fifo
  echo "BEGIN; SELECT count(*) FROM incident;" >&3
  held=1
fi
run $VIGIE import logbook --db $DB --profile logbook-csv --gazetteer data/gazetteer-libourne.csv \
    --rejects $T/rejects.csv $T/in.csv $T/in.jsonl
cat $T/stdout.log
grep -q "in.csv: 12 rows read: imported 6, duplicates 0, rejected 6" $T/stdout.log
grep -q "in.jsonl: 4 rows read: imported 1, duplicates 0, rejected 3" $T/stdout.log
cat $T/rejects.csv
[ "$(($(wc -l < $T/rejects.csv) - 1))" -eq 9 ]
grep -q 'is not one of logbook' $T/rejects.csv
grep -q 'no category given and no text to classify (partner:health' $T/rejects.csv
run $VIGIE review list --db $DB --status all
run $VIGIE review show 1 --db $DB
run $VIGIE review set 1 --db $DB --category vol_sans_violence --by analyste
run $VIGIE classify train --db $DB
run $VIGIE stats --db $DB || true
# a failing import leaves its messages on stderr: they must be clean too
run $VIGIE import logbook --db $DB --profile logbook-csv $T/in.csv || true

files=$(ls -d $DB* $T/rejects.csv $T/stdout.log $T/stderr.log)
echo "files checked:"; ls -l $files
if [ $held -eq 1 ]; then
  [ -s $DB-wal ] || { echo "the WAL was expected on disk"; exit 1; }
fi
leaks=0
while IFS= read -r id; do
  [ -n "$id" ] || continue
  if grep -a -F -l -- "$id" $files; then echo "LEAK: $id"; leaks=$((leaks + 1)); fi
done < $T/ids
[ $leaks -eq 0 ]
# positive control: the scrubbed texts are in these files, so the grep
# above looked at the bytes where an identifier would have been
grep -a -q -F "Mme [NOM] signale le vol de son vélo, tél [TEL], mail [EMAIL]." $DB $DB-wal 2>/dev/null
grep -a -q -F "Dr [NOM] signale un cambriolage, tél [TEL]." $T/rejects.csv
echo "$(wc -l < $T/ids) identifiers, none found in $(echo $files | wc -w) files"
if [ $held -eq 1 ]; then exec 3>&-; wait; fi
if command -v sqlite3 >/dev/null 2>&1; then
  n=$(sqlite3 $DB "SELECT count(*) FROM incident WHERE source IN ('partner:health','partner:social')")
  t=$(sqlite3 $DB "SELECT count(*) FROM incident WHERE source IN ('partner:health','partner:social') AND text IS NOT NULL")
  echo "partner:health/social rows: $n, with text: $t"
  [ "$n" -eq 2 ] && [ "$t" -eq 0 ]
  # and the landlord's row kept a scrubbed text
  sqlite3 $DB "SELECT text FROM incident WHERE source_id = 'P4'" | grep -q '\[NIR\].*\[IBAN\]'
fi
echo "no identifier survived"

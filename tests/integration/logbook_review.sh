#!/bin/sh
# Review-queue round trip, end to end: import the sample logbook → the
# low-confidence entries are listed → an analyst corrects one → its category
# in the store changes (read back with the sqlite3 tool when present) → the
# next `classify train` uses the correction: the model alone now gives the
# corrected category for that text, and did not before.
set -eu
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DB=$T/lb.db
S=tests/data/logbook-libourne/entries.csv
$VIGIE import logbook --db $DB --profile logbook-csv --gazetteer data/gazetteer-libourne.csv $S | tee $T/out
grep -q "30 rows read: imported 27, duplicates 0, rejected 3; classified 25, to review 5" $T/out

$VIGIE review list --db $DB > $T/list
cat $T/list
grep -q "^5 entries (pending)" $T/list
# the entry about car door handles: no rule fires, so it waits for a person
id=$(grep "poignées des portières" $T/list | awk '{print $1}')
[ -n "$id" ]
grep "poignées des portières" $T/list | grep -q " autre .* 0.00 pending"

TXT="Individu aperçu qui essayait les poignées des portières sur le parking du collège, parti à pied à notre approche."
$VIGIE classify train --db $DB | tee $T/train1
grep -q "trained on 4 entries" $T/train1
before=$($VIGIE classify text --db $DB --mode model "$TXT" | cut -f1)
echo "model before the correction: $before"
[ "$before" != vol_dans_vehicule ]

$VIGIE review set "$id" --db $DB --category vol_dans_vehicule --by analyste1 | tee $T/set
grep -q "entry $id: corrected as vol_dans_vehicule by analyste1" $T/set
$VIGIE review set "$id" --db $DB --category no_such_code 2>$T/err && exit 1
grep -q "not a category" $T/err
$VIGIE review set 99999 --db $DB --category autre 2>$T/err && exit 1
$VIGIE review list --db $DB | grep -q "^4 entries (pending)"
$VIGIE review show "$id" --db $DB | tee $T/show
grep -q "^status      corrected" $T/show
grep -q "^category    vol_dans_vehicule" $T/show
grep -q "^decided     vol_dans_vehicule by analyste1" $T/show
if command -v sqlite3 >/dev/null 2>&1; then
  got=$(sqlite3 $DB "SELECT c.code FROM incident i JOIN category c ON c.idx = i.cat WHERE i.id = $id")
  [ "$got" = vol_dans_vehicule ]
  [ "$(sqlite3 $DB "SELECT status||'/'||final||'/'||analyst FROM review WHERE incident_id = $id")" = corrected/vol_dans_vehicule/analyste1 ]
fi
# the decision is in the audit trail, which still verifies
grep -q '"action":"review.set","object":"incident:'"$id"'"' $DB.audit
$VIGIE audit verify --db $DB

$VIGIE classify train --db $DB | tee $T/train2
grep -q "trained on 5 entries" $T/train2
after=$($VIGIE classify text --db $DB --mode model "$TXT" | cut -f1)
echo "model after the correction: $after"
[ "$after" = vol_dans_vehicule ]
echo "review round trip ok"

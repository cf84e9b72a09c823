#!/bin/sh
# Bad rows go to the rejects file with file, line and reason; nothing is
# silently dropped (N + D + R = rows); a bad profile or file leaves the store
# unchanged.
set -eu
. "${VIGIE_ROOT:-.}/tests/helpers/store_lib.sh"
T=$(mktemp -d); trap 'vg_drop_dbs "$T"; rm -rf "$T"' EXIT
DB=$(vg_new_db "$T" r)
cat > $T/bad.csv <<'CSV'
Case Number,Date,Block,Primary Type,Latitude,Longitude
A1,04/27/2016 01:44:00 PM,073XX S COTTAGE GROVE AVE,BATTERY,41.761772852,-87.605478606
A2,04/27/2016 01:45:00 PM,073XX S COTTAGE GROVE AVE,BATTERY,,
A3,04/27/2016 01:46:00 PM,073XX S COTTAGE GROVE AVE,BATTERY,0,0
A4,04/27/2016 01:47:00 PM,PARIS,BATTERY,48.8566,2.3522
A5,13/27/2016 01:48:00 PM,073XX S COTTAGE GROVE AVE,BATTERY,41.76,-87.60
A6,04/27/2016 01:49:00 PM,073XX S COTTAGE GROVE AVE,ALIEN ABDUCTION,41.76,-87.60
A7,04/27/2016 01:50:00 PM,073XX S COTTAGE GROVE AVE,THEFT,"41,79",-87.60
A1,04/27/2016 01:44:00 PM,073XX S COTTAGE GROVE AVE,BATTERY,41.761772852,-87.605478606

A8,04/27/2016 13:51:00 PM,X,THEFT,41.76,-87.60
A9,"02/29/2016 12:05:00 AM","multi
line block",THEFT,41.77,-87.61
CSV
$VIGIE import incidents --db "$DB" --profile chicago-southside-sample-opencp --rejects $T/rej.csv $T/bad.csv | tee $T/out
grep -q "10 rows read: imported 2, duplicates 1, rejected 7" $T/out
cat $T/rej.csv
[ "$(($(wc -l < $T/rej.csv) - 1))" -eq 7 ]
grep -q ',3,"missing coordinates"' $T/rej.csv
grep -q ',4,"coordinates 0/0' $T/rej.csv
grep -q ',5,"point 2.352200, 48.856600 is outside the study area"' $T/rej.csv
grep -q ',6,"occurrence time ""13/27/2016 01:48:00 PM""' $T/rej.csv
grep -q ',7,"unknown label ""ALIEN ABDUCTION"" (add it to \[crosswalk\] in profile chicago-southside-sample-opencp)"' $T/rej.csv
grep -q ',8,"latitude ""41,79"" is not a number (decimal separator is '"'"'.'"'"' in this profile)"' $T/rej.csv
grep -q ',11,"occurrence time ""04/27/2016 13:51:00 PM""' $T/rej.csv
# a broken profile: clear error with file and line, store unchanged
printf '[format]\nkind = incidents\ndelimiter = ;;\n' > $T/broken.profile
if $VIGIE import incidents --db "$DB" --profile $T/broken.profile $T/bad.csv 2> $T/err; then exit 1; fi
cat $T/err
grep -q 'broken.profile:3: delimiter ";;" must be one character' $T/err
# a missing column named by the profile
printf 'Case Number,Date\nA,B\n' > $T/nocol.csv
if $VIGIE import incidents --db "$DB" --profile chicago-southside-sample-opencp $T/nocol.csv 2> $T/err2; then exit 1; fi
cat $T/err2
grep -q 'nocol.csv:1: profile chicago-southside-sample-opencp: column "Primary Type" (category) is not in the header' $T/err2
[ "$(vg_sql "$DB" 'select count(*) from incident')" -eq 2 ]

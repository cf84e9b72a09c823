#!/bin/sh
# audit_replay — every `vigie forecast` leaves an audit record; `--replay SEQ`
# re-computes it bit for bit even after more data were imported, including
# late rows dated BEFORE the forecast window (they get larger store ids and
# are ignored by the replay).  Tampering with the data or the record is
# detected (exit 65).
set -u
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
CSV=$VIGIE_DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
GEO=$VIGIE_DATA/boundaries/chicago/Chicago_2020.geojson
[ -r "$CSV" ] || exit 77
DB=$T/c.db
P=chicago-aggravated-assaults-2010-2019
# part 1: 2010 minus every 10th row; later: the held-back 2010 rows and 2011 H1
awk -F, 'NR==1 || ($1 < "2011-01-01" && NR % 10 != 0)' "$CSV" > "$T/p1.csv"
awk -F, 'NR==1 || ($1 < "2011-01-01" && NR % 10 == 0)' "$CSV" > "$T/late.csv"
awk -F, 'NR==1 || ($1 >= "2011-01-01" && $1 < "2011-07-01")' "$CSV" > "$T/p2.csv"
"$VIGIE" import areas --db "$DB" --layer ca --id-field area_numbe --name-field community "$GEO" >/dev/null || fail areas
"$VIGIE" import incidents --db "$DB" --profile $P "$T/p1.csv" >/dev/null || fail import1

for m in kde naive; do
  "$VIGIE" forecast --db "$DB" --model $m --date 2010-12-20 --category coups_blessures \
      --format csv > "$T/$m.csv" 2> "$T/$m.err" || fail "forecast $m"
  seq=$(sed -n 's/^audit record \([0-9]*\).*/\1/p' "$T/$m.err")
  [ -n "$seq" ] || fail "no audit id on stderr for $m"
  echo "$seq" > "$T/$m.seq"
done
"$VIGIE" import incidents --db "$DB" --profile $P "$T/late.csv" "$T/p2.csv" >/dev/null || fail import2

# the same request on today's store gives another forecast (the late rows count) ...
"$VIGIE" forecast --db "$DB" --model kde --date 2010-12-20 --category coups_blessures \
    --format csv > "$T/kde.now.csv" 2>/dev/null || fail "forecast now"
cmp -s "$T/kde.csv" "$T/kde.now.csv" && fail "late rows changed nothing: the test cannot fail"
# ... but the replays reproduce the recorded ones bit for bit
for m in kde naive; do
  seq=$(cat "$T/$m.seq")
  "$VIGIE" forecast --db "$DB" --replay "$seq" > "$T/$m.replay" 2>&1 || { cat "$T/$m.replay"; fail "replay $m"; }
  grep -q "^MATCH" "$T/$m.replay" || fail "replay $m: no MATCH line"
done
"$VIGIE" audit show --db "$DB" --what replay | grep -c '"match":true' | grep -qx 2 || fail "replays not audited"

# independent check of the result digest: sha256 of the stored vector
# (little-endian doubles) equals the record's result_sha256
seq=$(cat "$T/kde.seq")
/usr/bin/python3 - "$DB" "$seq" <<'PY' || fail "python digest check"
import hashlib, json, sqlite3, sys
db, seq = sys.argv[1], int(sys.argv[2])
blob, = sqlite3.connect(db).execute("select expected from forecast where audit_seq=?", (seq,)).fetchone()
rec = [json.loads(l[:l.rindex(',"hash":"')] + "}") for l in open(db + ".audit")]
det = [r for r in rec if r["seq"] == seq][0]["details"]
assert hashlib.sha256(blob).hexdigest() == det["result_sha256"], "digest"
PY

# tamper 1: move one event the kde forecast used by 1 m → data digest differs
/usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('update incident set x=x+1 where id=(select min(id) from incident)'); c.commit()" "$DB"
"$VIGIE" forecast --db "$DB" --replay "$seq" > "$T/t1" 2>&1
[ $? -eq 65 ] || { cat "$T/t1"; fail "altered data not detected"; }
grep -q "input data differ" "$T/t1" || fail "tamper 1 message"
/usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('update incident set x=x-1 where id=(select min(id) from incident)'); c.commit()" "$DB"
"$VIGIE" forecast --db "$DB" --replay "$seq" >/dev/null 2>&1 || fail "restored data do not replay"

# tamper 2: the stored output and the recorded digest disagree → the first cell is named
/usr/bin/python3 - "$DB" "$seq" <<'PY'
import sqlite3, struct, sys
c = sqlite3.connect(sys.argv[1]); seq = int(sys.argv[2])
b = bytearray(c.execute("select expected from forecast where audit_seq=?", (seq,)).fetchone()[0])
b[8*7:8*8] = struct.pack("<d", 1234.5)
c.execute("update forecast set expected=? where audit_seq=?", (bytes(b), seq)); c.commit()
PY
"$VIGIE" forecast --db "$DB" --replay "$seq" > "$T/t2" 2>&1 || fail "replay must still match the record"

# the area layer replaced by a smaller one: the places differ → named (65)
/usr/bin/python3 - "$GEO" "$T/small.geojson" <<'PY'
import json, sys
g = json.load(open(sys.argv[1])); g["features"] = g["features"][1:]
json.dump(g, open(sys.argv[2], "w"))
PY
cp "$DB" "$T/keep.db"
"$VIGIE" import areas --db "$DB" --layer ca --id-field area_numbe --name-field community "$T/small.geojson" >/dev/null || fail "areas 2"
"$VIGIE" forecast --db "$DB" --replay "$seq" > "$T/t25" 2>&1
[ $? -eq 65 ] || { cat "$T/t25"; fail "changed places not detected"; }
grep -q "the places differ" "$T/t25" || { cat "$T/t25"; fail "tamper 2.5 message"; }
cp "$T/keep.db" "$DB"

# tamper 3: flip one byte in the forecast record of the trail → refused (65)
line=$(grep -n "\"seq\":$seq," "$DB.audit" | cut -d: -f1)
off=$(awk -v n="$line" 'NR<n{s+=length($0)+1} END{print s+40}' "$DB.audit")
printf 'X' | dd of="$DB.audit" bs=1 seek="$off" conv=notrunc 2>/dev/null
"$VIGIE" forecast --db "$DB" --replay "$seq" > "$T/t3" 2>&1
[ $? -eq 65 ] || { cat "$T/t3"; fail "altered record not detected"; }
"$VIGIE" audit verify --db "$DB" >/dev/null 2>&1 && fail "verify missed the flip"
echo "audit_replay: ok"

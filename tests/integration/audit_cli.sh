#!/bin/sh
# audit_cli — `vigie audit log|show|verify` on a fresh trail, then tampering
# with it by hand (a flipped byte, a forged tail, a truncation) must make
# `verify` exit 65 and name the right record.
# On PostgreSQL the trail is the table audit_trail: the same checks, with
# the tampering done in SQL by the superuser (triggers disabled), after
# checking that ordinary UPDATE/DELETE/TRUNCATE are refused.
set -u
. "${VIGIE_ROOT:-.}/tests/helpers/store_lib.sh"
T=$(mktemp -d) || exit 1
trap 'vg_drop_dbs "$T"; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
DB=$(vg_new_db "$T" town) || fail "new store"
PG=0; [ "$VIGIE_BACKEND" = postgres ] && PG=1
TRAIL=$DB.audit
if [ $PG = 1 ]; then
  TRAIL=$T/trail   # the table's lines, as the file would hold them
  dump() { vg_sql "$DB" "SELECT line FROM audit_trail ORDER BY pos" | sed '/^$/d' > "$TRAIL"; }
  # replace the whole trail by the file $1 (as the superuser, triggers off)
  load() {
    vg_sql "$DB" "ALTER TABLE audit_trail DISABLE TRIGGER USER; DELETE FROM audit_trail" >/dev/null
    /usr/bin/python3 - "$1" > "$T/load.sql" <<'PY'
import sys
for i, l in enumerate(open(sys.argv[1], "rb").read().decode().splitlines(True), 1):
    print("INSERT INTO audit_trail VALUES(%d, '%s');" % (i, l.replace("'", "''")))
PY
    psql -X -q "$DB" -f "$T/load.sql" >/dev/null
    vg_sql "$DB" "ALTER TABLE audit_trail ENABLE TRIGGER USER" >/dev/null
  }
else
  dump() { :; }
  load() { cp "$1" "$DB.audit"; }
fi

"$VIGIE" audit log --db "$DB" --user alice --action login --object session >/dev/null || fail log1
"$VIGIE" audit log --db "$DB" --user bob --role analyst --action read \
    --object events:2019 --purpose "case 2024/117" --details '{"rows":42}' >/dev/null || fail log2
# an analyst without a purpose is refused (77 = VG_FORBIDDEN)
"$VIGIE" audit log --db "$DB" --user bob --role analyst --action export --object events 2>/dev/null
[ $? -eq 77 ] || fail "purpose not enforced"
"$VIGIE" audit log --db "$DB" --user carol --action export --object "grid:250m" >/dev/null || fail log3

"$VIGIE" audit verify --db "$DB" | grep -q "intact — 6 records, 3 signatures" || fail "verify intact"
n=$("$VIGIE" audit show --db "$DB" --user bob --format json | grep -c '"user":"bob"')
[ "$n" -eq 1 ] || fail "show --user bob gave $n"
"$VIGIE" audit show --db "$DB" --what export | grep -q "carol" || fail "show --what"
"$VIGIE" audit show --db "$DB" --from 2999-01-01 | grep -q "(0 records)" || fail "show --from"
dump
if [ $PG = 1 ]; then  # append-only: ordinary changes are refused
  for q in "UPDATE audit_trail SET line = 'x' WHERE pos = 1" "DELETE FROM audit_trail" "TRUNCATE audit_trail"; do
    vg_sql "$DB" "$q" 2>&1 | grep -q "append-only" || fail "not refused: $q"
  done
fi
# independent check of the chain with python: hash = sha256(line before ,"hash":")
/usr/bin/python3 - "$TRAIL" <<'PY' || fail "python chain check"
import hashlib, json, sys
prev = "0" * 64
for i, line in enumerate(open(sys.argv[1], "rb"), 1):
    body, sep, tail = line.rpartition(b',"hash":"')
    h = tail[:64].decode()
    assert hashlib.sha256(body).hexdigest() == h, i
    rec = json.loads(body + b"}")
    assert rec["seq"] == i and rec["prev"] == prev, i
    prev = h
print("python: chain of", i, "records ok")
PY

cp "$TRAIL" "$T/orig"
# 1. flip one byte inside record 4 → hash mismatch at record 4
off=$(awk 'NR<4{n+=length($0)+1} END{print n+10}' "$T/orig")
cp "$T/orig" "$T/work"
printf 'Z' | dd of="$T/work" bs=1 seek="$off" conv=notrunc 2>/dev/null
load "$T/work"
out=$("$VIGIE" audit verify --db "$DB"); rc=$?
[ $rc -eq 65 ] || fail "flip: rc $rc"
echo "$out" | grep -q "BROKEN at record 4 .*hash mismatch" || fail "flip: $out"
# 2. forged tail with a valid hash but no signature
cp "$T/orig" "$T/work"
/usr/bin/python3 - "$T/work" <<'PY'
import hashlib, sys
lines = open(sys.argv[1], "rb").read().splitlines()
last = lines[-1]; prev = last[-66:-2].decode()
body = ('{"seq":%d,"time":"2024-01-01T00:00:00Z","user":"mallory","role":"admin",'
        '"action":"delete","object":"events","purpose":"","details":{},"prev":"%s"'
        % (len(lines) + 1, prev)).encode()
open(sys.argv[1], "ab").write(body + b',"hash":"' + hashlib.sha256(body).hexdigest().encode() + b'"}\n')
PY
load "$T/work"
out=$("$VIGIE" audit verify --db "$DB"); rc=$?
[ $rc -eq 65 ] && echo "$out" | grep -q "record 7 .*unsigned tail" || fail "forge: $rc $out"
# 3. truncation back to the first signature → rollback detected
head -n 2 "$T/orig" > "$T/work"
load "$T/work"
out=$("$VIGIE" audit verify --db "$DB"); rc=$?
[ $rc -eq 65 ] && echo "$out" | grep -q "rolled back" || fail "truncate: $rc $out"
load "$T/orig"
"$VIGIE" audit verify --db "$DB" >/dev/null || fail "restore"
echo "audit_cli: ok"

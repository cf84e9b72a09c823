#!/bin/sh
# audit_trail_retention.sh — the audit trail's own retention period,
# enforced by `vigie purge` while `vigie serve` holds the trail open, on
# SQLite (file) and PostgreSQL (table).  Checks: the purge removes the
# expired records (count = the records older than the cut, computed here
# from `vigie audit show` before the purge) and leaves an "audit-prune"
# record; `vigie audit verify` proves the rest from the signed checkpoint;
# the running server's next records land in the cut trail and verify;
# removing or editing the checkpoint, or cutting one more record by hand,
# is detected (file); on PostgreSQL the triggers refuse deleting kept rows
# and moving the checkpoint back, and the superuser's hand cut is detected.
set -u
ROOT=${VIGIE_ROOT:-$PWD}
BUILD=${BUILD:-build}
V=${VIGIE:-$ROOT/$BUILD/vigie}
DATA=${VIGIE_DATA:-$ROOT/../shared/data}
PY=/usr/bin/python3
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
. "$ROOT/tests/helpers/store_lib.sh"
T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; vg_drop_dbs "$T"; rm -rf "$T"; }
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }
DB=$(vg_new_db "$T" ret) || fail "new store"
"$V" import areas --db "$DB" --layer ca --id-field area_numbe --name-field community \
  "$DATA/boundaries/chicago/Chicago_2020.geojson" >/dev/null || fail "import areas"
printf 'retention-password-1\n' > "$T/pw"
"$V" users add adm --db "$DB" --role admin --password-file "$T/pw" >/dev/null || fail "users add"
for i in 1 2 3 4 5 6; do
  "$V" audit log --db "$DB" --user "early$i" --role admin --action read --object "old:$i" >/dev/null \
    || fail "audit log"
done

"$V" serve --db "$DB" --listen 127.0.0.1:0 --web "$ROOT/web" --purge-hours 0 >"$T/out" 2>"$T/err" &
PID=$!
i=0; while [ $i -lt 50 ] && ! grep -q listening "$T/out"; do sleep 0.2; i=$((i + 1)); done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\)\/ .*/\1/p' "$T/out")
[ -n "$URL" ] || { cat "$T/err"; fail "server did not start"; }
login() { curl -s -o /dev/null -w '%{http_code}' -c "$T/jar" -H 'Content-Type: application/json' \
  -d '{"user":"adm","password":"retention-password-1"}' "$URL/api/v1/login"; }
[ "$(login)" = 200 ] || fail "login before the purge"

# expected: every record present now is older than the purge's "now" (3 days
# ahead with audit=1 day), so all go but the last one; the purge first
# signs the head, which then is the last record kept
"$V" audit show --db "$DB" --signatures --format json > "$T/before.json" || fail "show before"
n_before=$($PY -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$T/before.json")
"$V" retention set audit=1 --db "$DB" >/dev/null || fail "retention set"
NOW=$(date -u -d '+3 days' +%Y-%m-%d)
"$V" purge --db "$DB" --now "$NOW" --dry-run > "$T/dry" 2>&1 || { cat "$T/dry"; fail "dry run"; }
dry_cut=$(awk '$1=="audit" && NF==4 {print $4}' "$T/dry")
"$V" purge --db "$DB" --now "$NOW" > "$T/purge" 2>&1 || { cat "$T/purge"; fail "purge"; }
cat "$T/purge"
cut=$(awk '$1=="audit" && NF==4 {print $4}' "$T/purge")
# records before the purge: n_before + the retention-set record (+ its
# signature); the dry run's count is what the purge cut
[ "$cut" -ge "$n_before" ] || fail "cut $cut records, expected at least $n_before"
[ "$cut" = "$dry_cut" ] || fail "dry run said $dry_cut, purge cut $cut"
"$V" audit verify --db "$DB" --allow-unsigned-tail > "$T/v1" || { cat "$T/v1"; fail "verify after the cut"; }
grep -q "records 1 to $cut were removed under retention" "$T/v1" || { cat "$T/v1"; fail "verify does not name the cut"; }
"$V" audit show --db "$DB" --what audit-prune --format json | grep -q "\"removed\":$cut" || fail "no audit-prune record"
"$V" audit show --db "$DB" --what read | grep -q "old:" && fail "expired records still shown"
"$V" forecast --db "$DB" --replay 2 > "$T/rp" 2>&1 && fail "replay of a removed record succeeded"
grep -q "removed under the audit trail's retention" "$T/rp" || { cat "$T/rp"; fail "replay message"; }

# the running server goes on writing, now into the cut trail, and says
# what the retention removed
[ "$(login)" = 200 ] || fail "login after the purge"
curl -s -b "$T/jar" "$URL/api/v1/audit/verify" > "$T/av.json"
$PY -c 'import json,sys; v=json.load(open(sys.argv[1])); assert v["intact"] and v["pruned_through"] == int(sys.argv[2]) and v["pruned_at"], v' \
  "$T/av.json" "$cut" || fail "GET audit/verify after the cut: $(cat "$T/av.json")"
curl -s -o /dev/null -b "$T/jar" "$URL/api/v1/audit" || fail "audit viewer"
"$V" audit show --db "$DB" --user adm --format json > "$T/after.json"
$PY - "$T/after.json" "$T/before.json" <<'PY' || fail "the server's record after the cut is missing"
import json, sys
after = json.load(open(sys.argv[1])); before = json.load(open(sys.argv[2]))
last = max(r["seq"] for r in before)
sys.exit(0 if any(r["seq"] > last and r["user"] == "adm" for r in after) else 1)
PY
kill "$PID"; wait "$PID" 2>/dev/null; PID=""
"$V" audit verify --db "$DB" > "$T/v2" || { cat "$T/v2"; fail "verify after the server stopped"; }

if [ "$VIGIE_BACKEND" = sqlite ]; then
  B=$DB.audit.base
  cp "$B" "$T/base"; cp "$DB.audit" "$T/trail"
  rm "$B"
  "$V" audit verify --db "$DB" > "$T/v3"; rc=$?
  [ $rc = 65 ] && grep -q "no signed retention checkpoint" "$T/v3" || { cat "$T/v3"; fail "missing checkpoint not detected ($rc)"; }
  awk '{ $3 = $3 - 1; print }' "$T/base" > "$B"   # the checkpoint's time moved
  "$V" audit verify --db "$DB" > "$T/v4"; rc=$?
  [ $rc = 65 ] && grep -q "checkpoint" "$T/v4" || { cat "$T/v4"; fail "edited checkpoint not detected ($rc)"; }
  cp "$T/base" "$B"
  sed 1d "$T/trail" > "$DB.audit"                  # one more record cut by hand
  "$V" audit verify --db "$DB" > "$T/v5"; rc=$?
  [ $rc = 65 ] && grep -q "sequence gap" "$T/v5" || { cat "$T/v5"; fail "hand cut not detected ($rc)"; }
  cp "$T/trail" "$DB.audit"
  "$V" audit verify --db "$DB" >/dev/null || fail "restored trail does not verify"
else
  first=$(vg_sql "$DB" "SELECT min(pos) FROM audit_trail")
  vg_sql "$DB" "DELETE FROM audit_trail WHERE pos = $first" 2>&1 | grep -q "append-only" \
    || fail "deleting a kept record was not refused"
  vg_sql "$DB" "UPDATE audit_base SET keep_from = keep_from - 1" 2>&1 | grep -q "only moves forward" \
    || fail "moving the checkpoint back was not refused"
  vg_sql "$DB" "DELETE FROM audit_base" 2>&1 | grep -q "only moves forward" \
    || fail "deleting the checkpoint was not refused"
  "$V" audit verify --db "$DB" >/dev/null || fail "refused changes altered the trail"
  vg_sql "$DB" "ALTER TABLE audit_trail DISABLE TRIGGER USER; DELETE FROM audit_trail WHERE pos = $first;
                ALTER TABLE audit_trail ENABLE TRIGGER USER" >/dev/null
  "$V" audit verify --db "$DB" > "$T/v5"; rc=$?
  [ $rc = 65 ] && grep -q "sequence gap" "$T/v5" || { cat "$T/v5"; fail "superuser's hand cut not detected ($rc)"; }
fi
echo "audit_trail_retention [$VIGIE_BACKEND]: ok ($cut records cut of $n_before+, server kept writing)"

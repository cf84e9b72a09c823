#!/bin/sh
# audit_anchor — a copy of the trail's signed head kept elsewhere
# (`vigie audit anchor`) detects a rollback that the trail alone cannot:
# someone able to rewrite every file beside the store (or, on PostgreSQL,
# the superuser) puts back an earlier, self-consistent state of trail and
# signed head; `vigie audit verify` passes, `verify --anchor` fails (exit 65,
# "rolled back").  A forged anchor is refused; a record cut under retention
# after the anchor was taken does not count as a rollback.
set -u
. "${VIGIE_ROOT:-.}/tests/helpers/store_lib.sh"
T=$(mktemp -d) || exit 1
trap 'vg_drop_dbs "$T"; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
DB=$(vg_new_db "$T" town) || fail "new store"
"$VIGIE" import areas --db "$DB" --layer ca --id-field area_numbe --name-field community \
  "$VIGIE_DATA/boundaries/chicago/Chicago_2020.geojson" >/dev/null || fail "import areas"
log() { "$VIGIE" audit log --db "$DB" --user "$1" --action read --object x >/dev/null || fail "log $1"; }
if [ "$VIGIE_BACKEND" = postgres ]; then
  # the earlier state: rows and signed head as they were (superuser, triggers off)
  save() { vg_sql "$DB" "CREATE TABLE saved_trail AS SELECT * FROM audit_trail;
                         CREATE TABLE saved_head AS SELECT * FROM audit_head" >/dev/null; }
  restore() { vg_sql "$DB" "ALTER TABLE audit_trail DISABLE TRIGGER USER;
      DELETE FROM audit_trail; INSERT INTO audit_trail SELECT * FROM saved_trail;
      ALTER TABLE audit_trail ENABLE TRIGGER USER;
      DELETE FROM audit_head; INSERT INTO audit_head SELECT * FROM saved_head" >/dev/null; }
else
  save() { cp "$DB.audit" "$T/trail0"; cp "$DB.audit.head" "$T/head0"; }
  restore() { cp "$T/trail0" "$DB.audit"; cp "$T/head0" "$DB.audit.head"; }
fi

log alice; log bob
save
log carol; log dave
"$VIGIE" audit anchor --db "$DB" --out "$T/anchor" || fail "anchor"
[ "$(wc -w < "$T/anchor")" = 5 ] || fail "anchor format: $(cat "$T/anchor")"
"$VIGIE" audit verify --db "$DB" --anchor "$T/anchor" > "$T/v1" || { cat "$T/v1"; fail "verify --anchor on the intact trail"; }
grep -q "still holds the anchored record" "$T/v1" || fail "verify --anchor message"

# a forged anchor (one character of its signature changed)
awk '{ s = $5; c = substr(s, 1, 1); $5 = (c == "a" ? "b" : "a") substr(s, 2); print }' "$T/anchor" > "$T/forged"
"$VIGIE" audit verify --db "$DB" --anchor "$T/forged" > "$T/v2"; rc=$?
[ $rc = 65 ] && grep -q "external anchor is malformed or not signed" "$T/v2" || { cat "$T/v2"; fail "forged anchor accepted ($rc)"; }

# the rollback: the trail alone still verifies, the anchor does not
restore
"$VIGIE" audit verify --db "$DB" >/dev/null || fail "the rolled-back trail should be self-consistent"
"$VIGIE" audit verify --db "$DB" --anchor "$T/anchor" > "$T/v3"; rc=$?
[ $rc = 65 ] && grep -q "external anchor names record .* rolled back" "$T/v3" || { cat "$T/v3"; fail "rollback not detected ($rc)"; }

# after a legitimate retention cut past the anchored record, the anchor is satisfied
log erin; log frank
"$VIGIE" audit anchor --db "$DB" --out "$T/anchor2" || fail "anchor 2"
"$VIGIE" retention set audit=1 --db "$DB" >/dev/null || fail "retention set"
"$VIGIE" purge --db "$DB" --now "$(date -u -d '+3 days' +%Y-%m-%d)" >/dev/null 2>&1 || fail "purge"
"$VIGIE" audit verify --db "$DB" --anchor "$T/anchor2" > "$T/v4" || { cat "$T/v4"; fail "anchor before a retention cut"; }
grep -q "removed under retention" "$T/v4" || fail "the cut is not reported"
echo "audit_anchor [$VIGIE_BACKEND]: ok"

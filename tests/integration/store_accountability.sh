#!/bin/sh
# store_accountability — the accountability operations on whichever back end
# the pass selects (SQLite, then PostgreSQL in the second pass of tests/run):
# a recorded forecast replays bit for bit, a purge with an injected clock
# deletes exactly the expired rows not under a legal hold (counts checked by
# SQL on the store itself), lifting the hold releases them, a place export
# holds the incidents SQL counts, and the audit trail verifies.  The
# SQLite-only scripts audit_{replay,purge,export} check the same paths in
# more depth with independent python computations.
set -u
ROOT=${VIGIE_ROOT:-$PWD}
V=${VIGIE:-$ROOT/build/vigie}
DATA=${VIGIE_DATA:-$ROOT/../shared/data}
. "$ROOT/tests/helpers/store_lib.sh"
T=$(mktemp -d) || exit 1
trap 'vg_drop_dbs "$T"; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
CSV=$DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
[ -r "$CSV" ] || exit 77
DB=$(vg_new_db "$T" acct) || exit 1
awk -F, 'NR==1 || $1 < "2011-01-01"' "$CSV" > "$T/p.csv"
"$V" import areas --db "$DB" --layer ca --id-field area_numbe --name-field community \
  "$DATA/boundaries/chicago/Chicago_2020.geojson" >/dev/null || fail areas
"$V" import incidents --db "$DB" --profile chicago-aggravated-assaults-2010-2019 --rejects "$T/r.csv" \
  "$T/p.csv" >/dev/null || fail import

# forecast recorded, replayed bit for bit
"$V" forecast --db "$DB" --model naive --date 2010-12-20 --category coups_blessures >/dev/null 2>"$T/f.err" \
  || fail "forecast: $(cat "$T/f.err")"
seq=$(sed -n 's/^audit record \([0-9]*\) .*/\1/p' "$T/f.err")
[ -n "$seq" ] || fail "no audit record number: $(cat "$T/f.err")"
"$V" forecast --db "$DB" --replay "$seq" > "$T/rp" 2>&1 || fail "replay: $(tail -2 "$T/rp")"
grep -q "^MATCH" "$T/rp" || fail "replay did not match"

# retention with a legal hold on March 2010, clock in 2029
ts() { date -u -d "$1" +%s; }
# the town's calendar days (the store's zone, set by the Chicago import profile)
lts() { TZ=America/Chicago date -d "$1 00:00" +%s; }
NOW=2029-06-15
cut=$(( $(ts $NOW) - 7000 * 86400 ))
"$V" retention set incident=7000,forecast=30 --db "$DB" >/dev/null || fail "retention set"
"$V" hold add --db "$DB" --procedure "PV 2024/117" --type incident --from 2010-03-01 --to 2010-03-31 \
  --reason instruction --now 2025-01-01 >/dev/null || fail "hold add"
# --from/--to are local days: the hold covers [local 1 March, local 1 April)
[ "$(vg_sql "$DB" "SELECT t_from || ' ' || t_to FROM legal_hold")" = "$(lts 2010-03-01) $(lts 2010-04-01)" ] \
  || fail "hold window is not the local days: $(vg_sql "$DB" "SELECT t_from, t_to FROM legal_hold")"
"$V" hold list --db "$DB" | grep -q "2010-03-01..2010-03-31" || fail "hold list does not show the local days"
n0=$(vg_sql "$DB" "SELECT count(*) FROM incident")
exp=$(vg_sql "$DB" "SELECT count(*) FROM incident WHERE t_start <= $cut")
# held: expired rows inside the hold's stored window [t_from, t_to) (date
# parsing of --from/--to is checked independently in audit_purge.sh)
held=$(vg_sql "$DB" "SELECT count(*) FROM incident i, legal_hold h WHERE i.t_start <= $cut AND i.t_start >= h.t_from AND i.t_start < h.t_to")
[ "$held" -gt 0 ] && [ "$exp" -gt "$held" ] || fail "data do not exercise the hold ($exp, $held)"
"$V" purge --db "$DB" --now $NOW > "$T/p1" 2>&1 || fail "purge: $(tail -2 "$T/p1")"
n1=$(vg_sql "$DB" "SELECT count(*) FROM incident")
[ $((n0 - n1)) -eq $((exp - held)) ] || fail "purged $((n0 - n1)), expected $((exp - held))"
[ "$(vg_sql "$DB" "SELECT count(*) FROM forecast")" = 0 ] || fail "forecast past retention kept"
"$V" hold lift "PV 2024/117" --db "$DB" --reason "closed" >/dev/null || fail "hold lift"
"$V" purge --db "$DB" --now $NOW >/dev/null 2>&1 || fail "second purge"
n2=$(vg_sql "$DB" "SELECT count(*) FROM incident")
[ $((n0 - n2)) -eq "$exp" ] || fail "after lifting: purged $((n0 - n2)), expected $exp"

# export of a place and window (the town's local days): the same count as SQL
idx=$(vg_sql "$DB" "SELECT idx FROM area WHERE layer='ca' AND id='25'")
want=$(vg_sql "$DB" "SELECT count(*) FROM incident WHERE area=$idx AND t_start >= $(lts 2010-06-01) AND t_start < $(lts 2010-07-01)")
"$V" export place --db "$DB" --area 25 --from 2010-06-01 --to 2010-06-30 --requester "Juge A, TJ" \
  --reason "CR 2024/9" --out "$T/a.json" 2>"$T/a.err" || fail "export: $(cat "$T/a.err")"
got=$(/usr/bin/python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['incidents']))" "$T/a.json")
[ "$got" = "$want" ] && [ "$want" -gt 0 ] || fail "export holds $got incidents, SQL counts $want"

"$V" audit show --db "$DB" --what purge | grep -c purge | grep -qx 2 || fail "purges not audited"
"$V" audit verify --db "$DB" --allow-unsigned-tail >/dev/null || fail "audit verify"
echo "ok: replay, purge with hold, lift, export on $VIGIE_BACKEND"

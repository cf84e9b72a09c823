#!/bin/sh
# audit_feedback_forecast — `vigie forecast --feedback ensign` on a store
# whose recorded briefings sent patrols to one place: the police-discovered
# events there, made while police were being sent, are mostly left out of
# the model's input; reported events are untouched; the corrected forecast
# is recorded with the correction's inputs and replays bit for bit.
# Synthetic data (seeded): reported events spread over 5 places; one more
# place where 3 events a night are *discovered* through December 2019.
set -u
ROOT=${VIGIE_ROOT:-$PWD}
V=${VIGIE:-$ROOT/build/vigie}
DATA=${VIGIE_DATA:-$ROOT/../shared/data}
PY=/usr/bin/python3
. "$ROOT/tests/helpers/store_lib.sh"
T=$(mktemp -d) || exit 1
trap 'vg_drop_dbs "$T"; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
DB=$(vg_new_db "$T" fb) || exit 1
$PY - "$T" <<'PY'
import datetime, random, sys
random.seed(3)
hdr = "date,loc_cat,longitude,latitude,district\n"
rep, dis = open(sys.argv[1] + "/rep.csv", "w"), open(sys.argv[1] + "/dis.csv", "w")
rep.write(hdr); dis.write(hdr)
spots = [(-87.70, 41.85), (-87.64, 41.78), (-87.75, 41.92), (-87.62, 41.88), (-87.68, 41.97)]
d = datetime.date(2019, 6, 1)
while d <= datetime.date(2019, 12, 31):
    for _ in range(2):
        x, y = random.choice(spots)
        rep.write("%s 21:%02d,street,%.5f,%.5f,1\n" % (d, random.randint(0, 59), x, y))
    if d >= datetime.date(2019, 12, 1):
        for k in range(3):
            dis.write("%s 22:%02d,street,-87.66000,41.90000,1\n" % (d, 10 + k))
    d += datetime.timedelta(days=1)
PY
sed 's/^origin = reported/origin = discovered/' "$ROOT/profiles/chicago-aggravated-assaults-2010-2019.profile" > "$T/dis.profile"
grep -q "^origin = discovered" "$T/dis.profile" || fail "profile"
"$V" import areas --db "$DB" --layer ca --id-field area_numbe --name-field community \
  "$DATA/boundaries/chicago/Chicago_2020.geojson" >/dev/null || fail areas
"$V" import incidents --db "$DB" --profile "$ROOT/profiles/chicago-aggravated-assaults-2010-2019.profile" \
  --rejects "$T/r1.csv" "$T/rep.csv" >/dev/null || fail "import reported"
"$V" import incidents --db "$DB" --profile "$T/dis.profile" --rejects "$T/r2.csv" "$T/dis.csv" >/dev/null \
  || fail "import discovered"
F="--db $DB --category coups_blessures --model naive --param days=28 --format csv"
# the nightly briefings of December 16-31: each is recorded (patrol dosage)
for day in 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31; do
  "$V" forecast $F --date 2019-12-$day > /dev/null 2>&1 || fail "briefing 2019-12-$day"
done
"$V" forecast $F --date 2020-01-01 > "$T/plain.csv" 2>/dev/null || fail "plain forecast"
"$V" forecast $F --date 2020-01-01 --feedback ensign > "$T/fb.csv" 2>"$T/fb.err" || fail "fb: $(cat "$T/fb.err")"
grep "feedback correction" "$T/fb.err" || fail "no correction line"
left=$(sed -n 's/.*: \([0-9]*\) of \([0-9]*\) discovered events left out.*/\1/p' "$T/fb.err")
all=$(sed -n 's/.*: \([0-9]*\) of \([0-9]*\) discovered events left out.*/\2/p' "$T/fb.err")
[ "$all" = 93 ] || fail "discovered events seen: $all (93 expected: 3 a night, 31 nights)"
# events of Dec 16-31 were made while patrols were sent there nearly every
# night: kept with probability (1/28)/p_sent, so most of those 48 go
[ "$left" -ge 30 ] && [ "$left" -le 48 ] || fail "left out $left of the 48 made under patrol"
$PY - "$T/plain.csv" "$T/fb.csv" <<'PY' || fail "the discovered place did not go down"
import csv, sys
def top(path):
    rows = list(csv.DictReader(open(path)))
    return {r[list(r)[1]] if "unit" not in r else r["unit"]: float(r["expected"]) for r in rows}
a, b = top(sys.argv[1]), top(sys.argv[2])
best = max(a, key=a.get)          # the discovered place leads without correction
assert b[best] < 0.7 * a[best], (best, a[best], b[best])
# reported places keep their counts; only the shared time-of-day profile
# moves (it learned from the dropped events too), so every other place
# changes by one common factor
others = [u for u in a if u != best and a[u] > 0]
r = [b[u] / a[u] for u in others]
assert max(r) - min(r) < 1e-4 * max(r), ("reported places changed unevenly", min(r), max(r))  # csv has 6-7 digits
print("discovered place", best, "expected", round(a[best], 4), "->", round(b[best], 4))
PY
seq=$(sed -n 's/^audit record \([0-9]*\) .*/\1/p' "$T/fb.err")
"$V" forecast --db "$DB" --replay "$seq" > "$T/rp" 2>&1 || fail "replay: $(tail -2 "$T/rp")"
grep -q "^MATCH" "$T/rp" || fail "replay of the corrected forecast"
echo "ok: correction leaves out $left of $all discovered events; replay matches"

#!/bin/sh
# audit_publish — `vigie publish stats` on a year of Chicago data: the shown
# cells and totals equal an independent sqlite/zoneinfo count; an LP attack
# (scipy linprog) that sees only the published CSV cannot pin any suppressed
# cell; the same attack on the table with primary suppression only DOES pin
# cells (so the check can fail); the file hash is in the audit trail.
set -u
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
CSV=$VIGIE_DATA/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv
GEO=$VIGIE_DATA/boundaries/chicago/Chicago_2020.geojson
[ -r "$CSV" ] || exit 77
/usr/bin/python3 -c "import scipy.optimize, zoneinfo" 2>/dev/null || exit 77
DB=$T/c.db
awk -F, 'NR==1 || ($1 >= "2010-01-01" && $1 < "2011-01-03")' "$CSV" > "$T/p.csv"
"$VIGIE" import areas --db "$DB" --layer ca --id-field area_numbe --name-field community "$GEO" >/dev/null || fail areas
"$VIGIE" import incidents --db "$DB" --profile chicago-aggravated-assaults-2010-2019 "$T/p.csv" >/dev/null || fail import
"$VIGIE" publish stats --db "$DB" --layer ca --from 2010-01 --to 2010-12 --out "$T/pub.csv" 2>"$T/err" || { cat "$T/err"; fail publish; }
grep -q "x" "$T/pub.csv" || fail "nothing suppressed: the test cannot fail"
/usr/bin/python3 - "$DB" "$T/pub.csv" <<'PY' || fail "attack or counts"
import csv, sqlite3, sys
from datetime import datetime
from zoneinfo import ZoneInfo
import numpy as np
from scipy.optimize import linprog

db, path = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(path)))
head, body, tot = rows[0], rows[1:-1], rows[-1]
months = head[2:-1]
R, C = len(body), len(months)
# --- truth, computed independently from the store ---
c = sqlite3.connect(db)
tz = ZoneInfo(c.execute("select value from meta where key='study_tz'").fetchone()[0])
idx = {r[1]: r[0] for r in c.execute("select idx, id from area where layer='ca'")}
true = np.zeros((R, C), dtype=int)
ids = [r[0] for r in body]
pos = {idx[a]: i for i, a in enumerate(ids)}
col = {m: j for j, m in enumerate(months)}
for t, a in c.execute("select t_start, area from incident where area is not null"):
    m = datetime.fromtimestamp(t, tz).strftime("%Y-%m")
    if m in col:
        true[pos[a], col[m]] += 1
sup = []
for i, r in enumerate(body):
    assert int(r[-1]) == true[i].sum(), ("row total", ids[i])
    for j, v in enumerate(r[2:-1]):
        if v == "x":
            sup.append((i, j))
        else:
            assert int(v) == true[i, j], ("cell", ids[i], months[j], v, true[i, j])
    # primary rule: every published cell is 0 or >= 5
    assert all(v == "x" or int(v) == 0 or int(v) >= 5 for v in r[2:-1]), ids[i]
for j in range(C):
    assert int(tot[2 + j]) == true[:, j].sum(), ("column total", months[j])

def attack(shown_mask):
    """min/max of every hidden cell given shown cells and all totals."""
    hid = [(i, j) for i in range(R) for j in range(C) if not shown_mask[i, j]]
    k = {h: n for n, h in enumerate(hid)}
    A, b = [], []
    for i in range(R):
        a = np.zeros(len(hid)); hit = False
        for j in range(C):
            if (i, j) in k: a[k[(i, j)]] = 1; hit = True
        if hit:
            A.append(a); b.append(true[i].sum() - sum(true[i, j] for j in range(C) if shown_mask[i, j]))
    for j in range(C):
        a = np.zeros(len(hid)); hit = False
        for i in range(R):
            if (i, j) in k: a[k[(i, j)]] = 1; hit = True
        if hit:
            A.append(a); b.append(true[:, j].sum() - sum(true[i, j] for i in range(R) if shown_mask[i, j]))
    out = []
    for n, (i, j) in enumerate(hid):
        e = np.zeros(len(hid)); e[n] = 1
        lo = linprog(e, A_eq=A, b_eq=b, bounds=(0, None), method="highs")
        hi = linprog(-e, A_eq=A, b_eq=b, bounds=(0, None), method="highs")
        assert lo.status == 0 and hi.status == 0
        out.append((i, j, lo.fun, -hi.fun))
    return out

shown = np.ones((R, C), dtype=bool)
for i, j in sup:
    shown[i, j] = False
res = attack(shown)
pinned = [(ids[i], months[j]) for i, j, lo, hi in res if hi - lo < 1 - 1e-6]
for i, j, lo, hi in res:
    assert lo - 1e-6 <= true[i, j] <= hi + 1e-6
assert not pinned, ("recovered", pinned)
# control: hide only the primary cells (0 < n < 5) → the attack recovers some
prim = np.ones((R, C), dtype=bool)
prim[(true > 0) & (true < 5)] = False
ctl = attack(prim)
rec = sum(1 for i, j, lo, hi in ctl if hi - lo < 1 - 1e-6)
assert rec > 0, "control attack recovered nothing"
print(f"publish: {len(sup)} suppressed cells, none recovered; primary-only table: {rec} recovered")
PY
h=$(sha256sum "$T/pub.csv" | cut -d' ' -f1)
"$VIGIE" audit show --db "$DB" --what publish | grep -q "$h" || fail "file hash not audited"
echo "audit_publish: ok"

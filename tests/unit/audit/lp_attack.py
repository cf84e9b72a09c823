#!/usr/bin/python3
"""lp_attack.py — an independent attack on a published table with suppressed
cells: for every suppressed cell, minimise and maximise it by linear
programming (scipy.optimize.linprog, HiGHS) subject to what was published
(the shown cells, every row total, every column total) and counts >= 0.

Input file: "R C THRESHOLD PROTECTION", R lines of counts, R lines of states
(0 shown, 1 primary, 2 complement).
--expect protected: exit 0 iff no suppressed cell is pinned (hi - lo >= 1)
                    and every primary has hi - lo >= PROTECTION.
--expect recovered: exit 0 iff some suppressed cell is pinned to one value.
Prints one line per suppressed cell: "i j value lo hi".
"""
import sys

import numpy as np
from scipy.optimize import linprog


def main():
    path, expect = sys.argv[1], sys.argv[3]
    toks = open(path).read().split()
    R, C, thr, prot = (int(t) for t in toks[:4])
    vals = np.array([int(t) for t in toks[4:4 + R * C]]).reshape(R, C)
    st = np.array([int(t) for t in toks[4 + R * C:4 + 2 * R * C]]).reshape(R, C)
    sup = [(i, j) for i in range(R) for j in range(C) if st[i, j] != 0]
    idx = {c: n for n, c in enumerate(sup)}
    # the attacker's knowledge: margins and shown cells
    rows_t, cols_t = vals.sum(axis=1), vals.sum(axis=0)
    A, b = [], []
    for i in range(R):
        a = np.zeros(len(sup))
        for j in range(C):
            if (i, j) in idx:
                a[idx[(i, j)]] = 1
        if a.any():
            A.append(a)
            b.append(rows_t[i] - sum(vals[i, j] for j in range(C) if st[i, j] == 0))
    for j in range(C):
        a = np.zeros(len(sup))
        for i in range(R):
            if (i, j) in idx:
                a[idx[(i, j)]] = 1
        if a.any():
            A.append(a)
            b.append(cols_t[j] - sum(vals[i, j] for i in range(R) if st[i, j] == 0))
    pinned, narrow, minw = 0, 0, None
    for n, (i, j) in enumerate(sup):
        c = np.zeros(len(sup))
        c[n] = 1
        lo = linprog(c, A_eq=A, b_eq=b, bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=A, b_eq=b, bounds=(0, None), method="highs")
        assert lo.status == 0 and hi.status == 0, (lo.message, hi.message)
        l, h = lo.fun, -hi.fun
        w = h - l
        minw = w if minw is None else min(minw, w)
        print(f"{i} {j} {vals[i, j]} {l:.6g} {h:.6g}")
        if w < 1 - 1e-6:
            pinned += 1
        if st[i, j] == 1 and w < prot - 1e-6:
            narrow += 1
    print(f"cells={len(sup)} pinned={pinned} narrow={narrow} min_width={minw}",
          file=sys.stderr)
    if expect == "protected":
        sys.exit(0 if pinned == 0 and narrow == 0 else 1)
    sys.exit(0 if pinned > 0 else 1)


if __name__ == "__main__":
    main()

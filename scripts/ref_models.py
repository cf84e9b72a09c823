#!/usr/bin/python3
"""ref_models.py -- independent numpy/scipy reference values for vigie's
spatial models, used by tests/unit/model/test_kde.c.

usage: ref_models.py EVENTS.csv MODEL CUT X0 Y0 CELL NX NY P1 P2 P3

EVENTS.csv has a header "x,y,t" (projected metres, UTC seconds).  The grid
has NX x NY square cells of CELL metres from (X0, Y0); every cell is a unit,
unit = row * NX + col, evaluated at the cell centre.  The window is one
whole week starting at CUT, so "effective days" = 7 for any profile.
Prints one line per unit: "unit value" (expected events in the week).

Models (parameters as in docs/models/):
  kde          P1 kernel (0 Gaussian truncated at 5h, 1 quartic), P2 h (m), P3 lookback (days)
  prospective  P1 D (m), P2 T (weeks), P3 metres per distance unit (0 = cell)
  stkde        P1 kernel, P2 h (m), P3 tau (days)
Written from the method descriptions with scipy.spatial.distance.cdist,
not translated from the C code.
"""
import sys

import numpy as np
from scipy.spatial.distance import cdist

DAY = 86400.0


def kernel(kind, h, r):
    if kind == 0:
        k = np.exp(-r ** 2 / (2 * h * h)) / (2 * np.pi * h * h)
        return np.where(r <= 5 * h, k, 0.0)
    q = np.clip(1 - (r / h) ** 2, 0, None)
    return np.where(r < h, 3 / (np.pi * h * h) * q ** 2, 0.0)


def main(argv):
    path, model = argv[1], argv[2]
    cut = int(argv[3])
    x0, y0, cell = float(argv[4]), float(argv[5]), float(argv[6])
    nx, ny = int(argv[7]), int(argv[8])
    p1, p2, p3 = float(argv[9]), float(argv[10]), float(argv[11])
    ev = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    ev = ev[ev[:, 2] < cut]
    cols, rows = np.meshgrid(np.arange(nx), np.arange(ny))
    centres = np.column_stack([x0 + (cols.ravel() + 0.5) * cell,
                               y0 + (rows.ravel() + 0.5) * cell])
    t0 = ev[:, 2].min()
    age_days = (cut - ev[:, 2]) / DAY
    if model == "kde":
        lookback = p3
        use = age_days <= lookback
        days = max(1.0, min(lookback, (cut - t0) / DAY))
        r = cdist(centres, ev[use, :2])
        lam = kernel(int(p1), p2, r).sum(axis=1) / days
        out = lam * cell * cell * 7
    elif model == "stkde":
        tau = p3
        span = max(1.0, (cut - t0) / DAY)
        use = age_days <= 10 * tau
        wt = np.exp(-age_days[use] / tau) / (tau * (1 - np.exp(-span / tau)))
        r = cdist(centres, ev[use, :2])
        lam = (kernel(int(p1), p2, r) * wt).sum(axis=1)
        out = lam * cell * cell * 7
    elif model == "prospective":
        D, T = p1, p2
        dunit = p3 if p3 > 0 else cell
        use = age_days <= T * 7
        tweeks = np.floor(age_days[use] / 7)
        r = cdist(centres, ev[use, :2])
        score = np.where(r <= D, 1 / (1 + r / dunit), 0) @ (1 / (1 + tweeks))
        gx = np.floor((ev[use, 0] - x0) / cell)
        gy = np.floor((ev[use, 1] - y0) / cell)
        inside = ((gx >= 0) & (gx < nx) & (gy >= 0) & (gy < ny)).sum()
        days = max(1.0, (cut - max(t0, cut - T * 7 * DAY)) / DAY)
        out = score / score.sum() * inside / days * 7
    else:
        sys.exit("unknown model " + model)
    for i, v in enumerate(out):
        print(i, repr(float(v)))


if __name__ == "__main__":
    main(sys.argv)

#!/usr/bin/python3
"""Independent numpy check of the 4x4 metrics case in test_metrics.c.

Recomputes hit rate, PAI, PEI, Brier, Poisson log-likelihood and the
calibration deciles with numpy (lexsort ranking, explicit fractional
boundary) and asserts they equal the constants hard-coded in the C test.
Run: /usr/bin/python3 tests/unit/eval/metrics_4x4.py  (prints the values)
"""
import math
import sys

import numpy as np

km2 = np.array([0.5] * 4 + [1.0] * 12)  # row 0 = partial edge cells
lam = np.array([0.1, 0.4, 0.2, 0.0,
                0.3, 1.2, 0.8, 0.1,
                0.2, 0.9, 0.6, 0.3,
                0.0, 0.1, 0.4, 0.5])
cnt = np.array([0, 1, 0, 1,
                0, 2, 0, 0,
                1, 0, 1, 0,
                0, 0, 2, 0], dtype=float)
total = km2.sum()
idx = np.arange(16)


def ranking(score):
    dens = score / km2
    return np.lexsort((idx, -dens))  # density desc, then index asc


def captured(order, values, area):
    cum, hits = 0.0, 0.0
    for i in order:
        if cum >= area:
            break
        f = min(1.0, (area - cum) / km2[i])
        hits += f * values[i]
        cum += f * km2[i]
    return hits


order = ranking(lam)
best_order = ranking(cnt)
res = {}
for name, area in (("c10", 10 * total / 100), ("c25", 25 * total / 100),
                   ("nij", 2.25)):
    h = captured(order, cnt, area)
    b = captured(best_order, cnt, area)
    res[name + "_hits"] = h
    res[name + "_hit_rate"] = h / cnt.sum()
    res[name + "_pai"] = (h / cnt.sum()) / (area / total)
    res[name + "_pei"] = h / b
p = 1 - np.exp(-lam)
res["brier"] = float(np.mean((p - (cnt >= 1)) ** 2))
lam_f = np.maximum(lam, 1e-10)
ll = cnt * np.log(lam_f) - lam - np.array([math.lgamma(k + 1) for k in cnt])
res["loglik"] = float(np.mean(ll))
bins = (np.arange(16) * 10) // 16
res["calib_pred_top"] = float(lam[order][bins == 0].sum())
res["calib_obs_top"] = float(cnt[order][bins == 0].sum())

expected = {
    "c10_hits": 2.0, "c10_hit_rate": 0.25, "c10_pai": 2.5,
    "c10_pei": 2.0 / 2.8,
    "c25_hits": 3.0, "c25_hit_rate": 0.375, "c25_pai": 1.5,
    "c25_pei": 3.0 / 6.5,
    "nij_hits": 2.5, "nij_hit_rate": 0.3125, "nij_pai": 0.3125 * 14 / 2.25,
    "nij_pei": 2.5 / 4.5,
    "brier": 0.24784269375484488, "loglik": -2.1885398693309375,
    "calib_pred_top": 2.1, "calib_obs_top": 2.0,
}
bad = 0
for k, v in res.items():
    ok = abs(v - expected[k]) <= 1e-9
    bad += not ok
    print(f"{k:16s} numpy={v:.17g} expected={expected[k]:.17g} "
          f"{'ok' if ok else 'MISMATCH'}")
sys.exit(1 if bad else 0)

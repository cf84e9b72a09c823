/*
 * backtest_json.h — the backtest result as one JSON document.
 *
 *   {"units":N, "total_km2":A, "windows":W, "from":"YYYY-MM-DD",
 *    "to":"YYYY-MM-DD", "refit":"weekly", "coverage":[1,2,5,10,20],
 *    "primary":5, "nij_km2":0.75|null, "unlocated":K,
 *    "best_baseline":"naive:days=28"|null,
 *    "models":[{"name":..., "baseline":bool, "windows":W, "events":E,
 *               "expected":X, "hit_rate":{"1":h,...}, "pai":{...},
 *               "pei":{...}, "brier":b, "loglik":l, "stability":{...},
 *               "nij":{"km2":a,"hit_rate":h,"pai":p,"pei":q}|null,
 *               "curve":{"0.5":h,...}, "calibration":[{"decile":1,
 *               "predicted":p,"observed":o,"n":n},...],
 *               "vs_baseline":{"baseline":NAME,"delta_pai":d,"ci_low":a,
 *               "ci_high":b,"rel":r,"rel_low":a,"rel_high":b}|null}]}
 *
 * Coverage keys are percentages ("%g").  Calibration values are means per
 * unit-window within each decile of the ranking (decile 1 = highest).
 * Numbers use the shortest round-trip form, so the document is a pure
 * function of the result (no timings): equal results, equal bytes.
 */
#ifndef VG_BACKTEST_JSON_H
#define VG_BACKTEST_JSON_H

#include "base/buf.h"
#include "eval/backtest.h"

/* Append the document (and a final newline) to `b`. */
enum vg_err vg_backtest_json(const struct vg_backtest_result *r,
                             struct vg_buf *b);

#endif

/*
 * gate.c — publication gate (contract in gate.h).  The decision uses the
 * relative PAI gain of the bootstrap already run by the backtest (same
 * resamples as the absolute difference, so both intervals agree in sign).
 * Messages use the English decimal point and a plain hyphen for ranges.
 */
#include "eval/gate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Hinnant's days_from_civil / civil_from_days (also in tz.c; repeated so
 * the gate needs no zone code). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

void vg_gate_period(int64_t last_day, int months, int64_t *from, int64_t *to)
{
    int64_t y, m, d;
    *to = last_day - 1;
    civil_from_days(*to, &y, &m, &d);
    int64_t mi = y * 12 + (m - 1) - months;
    y = mi >= 0 ? mi / 12 : -((-mi + 11) / 12);
    m = mi - y * 12 + 1;
    int64_t len = days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
                  days_from_civil(y, m, 1);
    *from = days_from_civil(y, m, d < len ? d : len) + 1;
}

static void name_period(const struct vg_backtest_result *r, const char *period,
                        char *out, size_t cap)
{
    char a[16] = "?", b[16] = "?";
    if (period) {
        snprintf(out, cap, "%s", period);
        return;
    }
    if (r->nwin) {
        vg_backtest_date(r->win[0].day, a);
        vg_backtest_date(r->win[r->nwin - 1].day, b);
    }
    snprintf(out, cap, "%s to %s", a, b);
}

enum vg_err vg_gate_decide(const struct vg_backtest_result *r, size_t m,
                           const char *period, struct vg_gate_verdict *v,
                           struct vg_diag *d)
{
    memset(v, 0, sizeof *v);
    if (m >= r->nmodels)
        return vg_fail(d, VG_RANGE, "", 0, 0, "gate: model index %zu of %zu",
                       m, r->nmodels);
    char per[96];
    name_period(r, period, per, sizeof per);
    const struct vg_bt_summary *S = &r->sum[m];
    const char *name = r->models[m].name;
    size_t ip = r->iprimary;
    v->model = m, v->baseline = r->best_baseline, v->cover = r->cover[ip];
    v->pai = S->pai[ip];
    if (r->models[m].baseline || r->best_baseline >= r->nmodels) {
        snprintf(v->reason, sizeof v->reason, r->models[m].baseline
                 ? "%s is a naive baseline: the gate compares models with it"
                 : "%s: no naive baseline was evaluated, so there is nothing "
                   "to beat", name);
        return VG_OK;
    }
    const char *bn = r->models[r->best_baseline].name;
    snprintf(v->base_name, sizeof v->base_name, "%s", bn);
    v->base_pai = r->sum[r->best_baseline].pai[ip];
    v->gain = 100 * S->vs.rel, v->lo = 100 * S->vs.rel_lo, v->hi = 100 * S->vs.rel_hi;
    if (!S->has_vs || !(S->events > 0) || !isfinite(v->gain)) {
        snprintf(v->reason, sizeof v->reason, "%s: no events (or no baseline "
                 "hits) on %s, so no comparison is possible", name, per);
    } else if (v->gain <= 0) {
        snprintf(v->reason, sizeof v->reason, "%s does not beat the best "
                 "baseline (%s): PAI %.2f vs %.2f at %g %% coverage, %.1f %% "
                 "lower (95 %% CI %.1f to %.1f %%) on %s", name, bn, v->pai,
                 v->base_pai, v->cover, -v->gain, v->lo, v->hi, per);
    } else if (!(v->lo > 0)) {
        snprintf(v->reason, sizeof v->reason, "%s is %.1f %% above the best "
                 "baseline (%s) on PAI at %g %% coverage, but the 95 %% CI "
                 "(%.1f to %.1f %%) includes zero on %s: not enough evidence",
                 name, v->gain, bn, v->cover, v->lo, v->hi, per);
    } else {
        v->publishable = 1;
        snprintf(v->evidence, sizeof v->evidence, "beats the best baseline "
                 "(%s) by %.1f %% PAI (95 %% CI %.1f-%.1f) on %s", bn, v->gain,
                 v->lo, v->hi, per);
    }
    return VG_OK;
}

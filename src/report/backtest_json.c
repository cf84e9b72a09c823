/*
 * backtest_json.c — JSON writer for backtest results (format in the
 * header).  Writes through vg_buf only; the first failing append's status
 * is returned and later appends are skipped.
 */
#include "report/backtest_json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct jw {
    struct vg_buf *b;
    enum vg_err e;
};

static void s_(struct jw *j, const char *s)
{
    if (j->e == VG_OK)
        j->e = vg_buf_adds(j->b, s);
}

static void str(struct jw *j, const char *s)
{
    if (j->e == VG_OK)
        j->e = vg_buf_json_str(j->b, s, strlen(s));
}

static void num(struct jw *j, double v)
{
    if (j->e == VG_OK)
        j->e = vg_buf_json_num(j->b, v);
}

static void key(struct jw *j, const char *k)
{
    str(j, k);
    s_(j, ":");
}

static void kv(struct jw *j, const char *k, double v)
{
    key(j, k);
    num(j, v);
}

/* {"1":v[0], "2":v[1], ...} keyed by percentages */
static void by_cover(struct jw *j, const double *pct, const double *v,
                     size_t n)
{
    s_(j, "{");
    for (size_t k = 0; k < n; k++) {
        char name[32];
        snprintf(name, sizeof name, "%g", pct[k]);
        if (k)
            s_(j, ",");
        kv(j, name, v[k]);
    }
    s_(j, "}");
}

static void model(struct jw *j, const struct vg_backtest_result *r, size_t m)
{
    const struct vg_bt_summary *S = &r->sum[m];
    s_(j, "{");
    key(j, "name"), str(j, r->models[m].name);
    s_(j, ",\"baseline\":"), s_(j, r->models[m].baseline ? "true" : "false");
    s_(j, ","), kv(j, "windows", (double)S->windows);
    s_(j, ","), kv(j, "events", S->events);
    s_(j, ","), kv(j, "expected", S->expected);
    s_(j, ","), key(j, "hit_rate"), by_cover(j, r->cover, S->hit_rate, r->ncover);
    s_(j, ","), key(j, "pai"), by_cover(j, r->cover, S->pai, r->ncover);
    s_(j, ","), key(j, "pei"), by_cover(j, r->cover, S->pei, r->ncover);
    s_(j, ","), kv(j, "brier", S->brier);
    s_(j, ","), kv(j, "loglik", S->loglik);
    s_(j, ","), key(j, "stability"), by_cover(j, r->cover, S->stability, r->ncover);
    s_(j, ","), key(j, "nij");
    if (r->nij_km2 > 0) {
        s_(j, "{"), kv(j, "km2", r->nij_km2);
        s_(j, ","), kv(j, "hit_rate", S->nij_hit_rate);
        s_(j, ","), kv(j, "pai", S->nij_pai);
        s_(j, ","), kv(j, "pei", S->nij_pei), s_(j, "}");
    } else {
        s_(j, "null");
    }
    s_(j, ","), key(j, "curve");
    by_cover(j, vg_bt_curve_pct, S->curve, VG_BT_CURVE);
    s_(j, ",\"calibration\":[");
    for (int d = 0; d < VG_CALIB_BINS; d++) {
        double n = S->cal.n[d];
        s_(j, d ? ",{" : "{"), kv(j, "decile", d + 1);
        s_(j, ","), kv(j, "predicted", n > 0 ? S->cal.pred[d] / n : NAN);
        s_(j, ","), kv(j, "observed", n > 0 ? S->cal.obs[d] / n : NAN);
        s_(j, ","), kv(j, "n", n), s_(j, "}");
    }
    s_(j, "],\"vs_baseline\":");
    if (S->has_vs) {
        s_(j, "{"), key(j, "baseline"), str(j, r->models[S->vs_baseline].name);
        s_(j, ","), kv(j, "delta_pai", S->vs.est);
        s_(j, ","), kv(j, "ci_low", S->vs.lo);
        s_(j, ","), kv(j, "ci_high", S->vs.hi);
        s_(j, ","), kv(j, "rel", S->vs.rel);
        s_(j, ","), kv(j, "rel_low", S->vs.rel_lo);
        s_(j, ","), kv(j, "rel_high", S->vs.rel_hi), s_(j, "}");
    } else {
        s_(j, "null");
    }
    s_(j, "}");
}

enum vg_err vg_backtest_json(const struct vg_backtest_result *r,
                             struct vg_buf *b)
{
    struct jw j = {b, VG_OK};
    char d0[16] = "", d1[16] = "";
    if (r->nwin) {
        vg_backtest_date(r->win[0].day, d0);
        vg_backtest_date(r->win[r->nwin - 1].day, d1);
    }
    s_(&j, "{"), kv(&j, "units", (double)r->nunits);
    s_(&j, ","), kv(&j, "total_km2", r->total_km2);
    s_(&j, ","), kv(&j, "windows", (double)r->nwin);
    s_(&j, ","), key(&j, "from"), str(&j, d0);
    s_(&j, ","), key(&j, "to"), str(&j, d1);
    s_(&j, ","), key(&j, "refit"), str(&j, vg_refit_name(r->refit));
    s_(&j, ",\"coverage\":[");
    for (size_t k = 0; k < r->ncover; k++)
        s_(&j, k ? "," : ""), num(&j, r->cover[k]);
    s_(&j, "],"), kv(&j, "primary", r->cover[r->iprimary]);
    s_(&j, ","), kv(&j, "nij_km2", r->nij_km2 > 0 ? r->nij_km2 : NAN);
    s_(&j, ","), kv(&j, "unlocated", (double)r->unlocated);
    s_(&j, ","), key(&j, "best_baseline");
    if (r->best_baseline < r->nmodels)
        str(&j, r->models[r->best_baseline].name);
    else
        s_(&j, "null");
    s_(&j, ",\"models\":[");
    for (size_t m = 0; m < r->nmodels; m++) {
        if (m)
            s_(&j, ",\n");
        model(&j, r, m);
    }
    s_(&j, "]}\n");
    return j.e;
}

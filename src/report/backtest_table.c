/*
 * backtest_table.c — text table writer (see header).  Appends to a vg_buf;
 * returns the first failing append's status.
 */
#include "report/backtest_table.h"

#include <math.h>
#include <stdio.h>

static void header(const struct vg_backtest_result *r, struct vg_buf *b)
{
    char d0[16] = "?", d1[16] = "?";
    if (r->nwin) {
        vg_backtest_date(r->win[0].day, d0);
        vg_backtest_date(r->win[r->nwin - 1].day, d1);
    }
    vg_buf_printf(b, "backtest %s to %s: %zu windows, %zu units, %.1f km², "
                  "refit %s", d0, d1, r->nwin, r->nunits, r->total_km2,
                  vg_refit_name(r->refit));
    if (r->unlocated)
        vg_buf_printf(b, ", %zu events outside every unit ignored", r->unlocated);
    vg_buf_printf(b, "\n\n%-34s %7s %8s", "model", "events", "expected");
    for (size_t k = 0; k < r->ncover; k++)
        vg_buf_printf(b, "  hit@%-4g", r->cover[k]);
    for (size_t k = 0; k < r->ncover; k++)
        vg_buf_printf(b, "  PAI@%-4g", r->cover[k]);
    for (size_t k = 0; k < r->ncover; k++)
        vg_buf_printf(b, "  PEI@%-4g", r->cover[k]);
    vg_buf_printf(b, "  %7s %8s  stab@%-3g  %-26s\n", "Brier", "loglik",
                  r->cover[r->iprimary], "dPAI vs best baseline [CI]");
}

enum vg_err vg_backtest_table(const struct vg_backtest_result *r,
                              struct vg_buf *b)
{
    size_t ip = r->iprimary;
    header(r, b);
    for (size_t m = 0; m < r->nmodels; m++) {
        const struct vg_bt_summary *S = &r->sum[m];
        char name[VG_SPEC_NAME + 4];
        snprintf(name, sizeof name, "%s%s", r->models[m].name,
                 r->models[m].baseline ? " *" : "");
        vg_buf_printf(b, "%-34s %7.0f %8.1f", name, S->events, S->expected);
        for (size_t k = 0; k < r->ncover; k++)
            vg_buf_printf(b, "  %7.1f%%", 100 * S->hit_rate[k]);
        for (size_t k = 0; k < r->ncover; k++)
            vg_buf_printf(b, "  %8.2f", S->pai[k]);
        for (size_t k = 0; k < r->ncover; k++)
            vg_buf_printf(b, "  %8.3f", S->pei[k]);
        vg_buf_printf(b, "  %7.4f %8.4f  %7.3f  ", S->brier, S->loglik,
                      S->stability[ip]);
        if (S->has_vs)
            vg_buf_printf(b, "%+.2f [%+.2f, %+.2f]\n", S->vs.est, S->vs.lo,
                          S->vs.hi);
        else
            vg_buf_printf(b, "%s\n", m == r->best_baseline ? "(best baseline)" : "-");
    }
    vg_buf_printf(b, "\n* naive baseline.  hit = share of events in the "
                  "flagged area; PAI = hit rate / area share; PEI = captured "
                  "/ best possible.\n\n%-34s %9s %9s\n", "model", "fit s",
                  "predict s");
    for (size_t m = 0; m < r->nmodels; m++)
        vg_buf_printf(b, "%-34.34s %9.2f %9.2f\n", r->models[m].name,
                      r->sum[m].fit_s, r->sum[m].predict_s);
    return vg_buf_addc(b, '\n');
}

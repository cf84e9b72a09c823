/*
 * kde.c — retrospective kernel density estimate (the classic hot-spot map;
 * Chainey, Tompson & Uhlig 2008, "The utility of hotspot mapping for
 * predicting spatial patterns of crime", Security Journal 21:4–28).
 *
 * Rate surface (events per day per m²), over the events of the last L days:
 *     λ(x) = (1/L) Σ_i K_h(‖x − x_i‖)
 * Gaussian kernel K_h(r) = exp(−r²/2h²)/(2πh²), truncated at r = 5h (the
 * lost mass is e^{−12.5} ≈ 4·10⁻⁶), or quartic K_h(r) = 3/(πh²)(1−r²/h²)²
 * for r < h.  The expected count of unit u in the window is
 * λ(centre of u) × surface of u × effective days of the window (tod.h).
 * L is the look-back, or the history actually available when shorter.
 * Evaluation visits, for each event, only the cells within the support
 * (cost O(events × (2R/cell)²), exact, no binning).
 * State: the time-of-day profile and parameters (caller frees).
 */
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "model/common.h"
#include "model/models.h"

struct kde_state {
    double kernel, h, lookback;
    struct vg_tod tod;
};

static const struct vg_param_def kde_params[] = {
    {"kernel", 0, 0, 1, "0 = Gaussian (truncated at 5 h), 1 = quartic"},
    {"bandwidth", 200, 10, 5000, "kernel bandwidth h, metres"},
    {"lookback", 365, 1, 3650, "events of the last N days are used, days"},
};

static enum vg_err kde_fit(const struct vg_model_input *in, const double *p,
                           void **state, struct vg_diag *d)
{
    enum vg_err e = model__check_input(in, "kde", d);
    if (e)
        return e;
    struct kde_state *s = vg_calloc(1, sizeof *s);
    if (!s)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
    s->kernel = p[0];
    s->h = p[1];
    s->lookback = p[2];
    vg_tod_learn(in->ev, model__visible(in), in->tz, MODEL__TOD_SIGMA_H,
                 MODEL__TOD_PRIOR, &s->tod);
    *state = s;
    return VG_OK;
}

/* Events [lo, hi) used and the look-back in days actually covered. */
static void kde_range(const struct kde_state *s, const struct vg_model_input *in,
                      size_t *lo, size_t *hi, double *days,
                      struct model__kernel *k)
{
    *hi = model__visible(in);
    int64_t from = in->t_cut - (int64_t)(s->lookback * MODEL__DAY);
    *lo = vg_events_before(in->ev, from);
    int64_t first = *hi ? in->ev->t[0] : in->t_cut;
    if (from < first)
        from = first;
    *days = (double)(in->t_cut - from) / MODEL__DAY;
    if (*days < 1)
        *days = 1;
    k->type = s->kernel >= 0.5 ? 1 : 0;
    k->h = s->h;
    k->radius = k->type == 1 ? s->h : 5 * s->h;
    k->cellsize = 1;
}

static enum vg_err kde_predict(const void *state, const struct vg_model_input *in,
                               const struct vg_window *w, double *expected,
                               struct vg_diag *d)
{
    const struct kde_state *s = state;
    size_t lo, hi;
    double days, *wgt = NULL;
    struct model__kernel k;
    enum vg_err e = model__check_input(in, "kde", d);
    if (e)
        return e;
    kde_range(s, in, &lo, &hi, &days, &k);
    memset(expected, 0, in->units->n * sizeof *expected);
    if (hi <= lo)
        return VG_OK;
    wgt = vg_malloc((hi - lo) * sizeof *wgt);
    if (!wgt)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
    for (size_t i = lo; i < hi; i++)
        wgt[i - lo] = 1.0 / days;
    model__spread(in->units, in->ev, lo, hi, wgt, &k, in->threads, expected);
    double eff = model__eff_days(&s->tod, in->tz, w);
    for (size_t i = 0; i < in->units->n; i++)
        expected[i] *= model__unit_m2(in->units, i) * eff;
    vg_free(wgt);
    return VG_OK;
}

static size_t kde_explain(const void *state, const struct vg_model_input *in,
                          const struct vg_window *w, size_t i,
                          struct vg_contrib *out, size_t max)
{
    const struct kde_state *s = state;
    size_t lo, hi, n;
    double days, *wgt;
    struct model__kernel k;
    if (i >= in->units->n)
        return 0;
    kde_range(s, in, &lo, &hi, &days, &k);
    if (hi <= lo || !(wgt = vg_malloc((hi - lo) * sizeof *wgt)))
        return 0;
    for (size_t j = lo; j < hi; j++)
        wgt[j - lo] = 1.0 / days;
    double scale = model__unit_m2(in->units, i) * model__eff_days(&s->tod, in->tz, w);
    n = model__spread_explain(in, lo, hi, wgt, &k, scale, i, out, max);
    vg_free(wgt);
    return n;
}

static void kde_free(void *state)
{
    vg_free(state);
}

const struct vg_model_ops vg_model_kde = {
    "kde", "retrospective kernel density of the last N days (Gaussian or quartic)",
    "Chainey, Tompson & Uhlig (2008) Security Journal 21:4-28",
    kde_params, 3, kde_fit, kde_predict, kde_explain, NULL, kde_free,
};

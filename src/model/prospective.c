/*
 * prospective.c — prospective hot-spotting (Bowers, Johnson & Pease 2004,
 * "Prospective hot-spotting: the future of crime mapping?", British Journal
 * of Criminology 44(5):641–658).
 *
 * Risk of unit u: R_u = Σ_i 1/(1 + d_i) · 1/(1 + t_i) over past events with
 * distance ≤ D (default 400 m) and age ≤ T (default 8 weeks), where, as in
 * the paper, d is the distance in cell widths (here continuous:
 * metres / cell side; `dunit` overrides the cell side, and areas use 50 m,
 * the paper's cell) and t is the age in whole weeks (floor, so events of the
 * last 7 days have t = 0), both measured from t_cut.  Distances run from the
 * event to the centre of the cell.
 * Calibration (ours, the paper ranks only): the recent daily rate of the
 * whole study (events of the last T weeks / days covered) is shared among
 * units in proportion to R_u, then multiplied by the window's effective
 * days (tod.h), so the expected counts sum to the recent rate.
 * State: parameters and the time-of-day profile (caller frees).
 */
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "model/common.h"
#include "model/models.h"

struct pro_state {
    double D, weeks, dunit;
    struct vg_tod tod;
};

static const struct vg_param_def pro_params[] = {
    {"bandwidth", 400, 10, 5000, "spatial bandwidth D, metres"},
    {"weeks", 8, 1, 104, "temporal bandwidth T, weeks"},
    {"dunit", 0, 0, 5000, "metres per distance unit (0 = grid cell side, 50 m for areas)"},
};

static enum vg_err pro_fit(const struct vg_model_input *in, const double *p,
                           void **state, struct vg_diag *d)
{
    enum vg_err e = model__check_input(in, "prospective", d);
    if (e)
        return e;
    struct pro_state *s = vg_calloc(1, sizeof *s);
    if (!s)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
    s->D = p[0];
    s->weeks = p[1];
    s->dunit = p[2];
    vg_tod_learn(in->ev, model__visible(in), in->tz, MODEL__TOD_SIGMA_H,
                 MODEL__TOD_PRIOR, &s->tod);
    *state = s;
    return VG_OK;
}

/* Events [lo, hi), their time weights 1/(1+t) (new array), and the study's
 * recent daily rate.  Returns NULL when there is nothing (or no memory). */
static double *pro_weights(const struct pro_state *s, const struct vg_model_input *in,
                           size_t *lo, size_t *hi, double *rate,
                           struct model__kernel *k)
{
    const double week = 7 * MODEL__DAY;
    int64_t from = in->t_cut - (int64_t)(s->weeks * week);
    *hi = model__visible(in);
    *lo = vg_events_before(in->ev, from);
    k->type = 2;
    k->h = s->D;
    k->radius = s->D;
    k->cellsize = s->dunit > 0 ? s->dunit
                  : in->units->kind == VG_UNITS_GRID ? in->units->cell : 50;
    if (*hi <= *lo)
        return NULL;
    double *w = vg_malloc((*hi - *lo) * sizeof *w);
    if (!w)
        return NULL;
    size_t inside = 0;
    for (size_t i = *lo; i < *hi; i++) {
        double t = floor((double)(in->t_cut - in->ev->t[i]) / week);
        w[i - *lo] = 1.0 / (1.0 + t);
        if (model__unit_of(in->units, in->ev->x[i], in->ev->y[i],
                           in->ev->area ? in->ev->area[i] : -1) >= 0)
            inside++;
    }
    int64_t first = in->ev->t[0];
    if (from < first)
        from = first;
    double days = (double)(in->t_cut - from) / MODEL__DAY;
    *rate = (double)inside / (days < 1 ? 1 : days);
    return w;
}

static enum vg_err pro_predict(const void *state, const struct vg_model_input *in,
                               const struct vg_window *w, double *expected,
                               struct vg_diag *d)
{
    const struct pro_state *s = state;
    size_t lo, hi;
    double rate = 0, tot = 0;
    struct model__kernel k;
    enum vg_err e = model__check_input(in, "prospective", d);
    if (e)
        return e;
    memset(expected, 0, in->units->n * sizeof *expected);
    double *wgt = pro_weights(s, in, &lo, &hi, &rate, &k);
    if (!wgt)
        return hi > lo ? vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory") : VG_OK;
    model__spread(in->units, in->ev, lo, hi, wgt, &k, in->threads, expected);
    for (size_t i = 0; i < in->units->n; i++)
        tot += expected[i];
    double scale = tot > 0 ? rate * model__eff_days(&s->tod, in->tz, w) / tot : 0;
    for (size_t i = 0; i < in->units->n; i++)
        expected[i] *= scale;
    vg_free(wgt);
    return VG_OK;
}

static size_t pro_explain(const void *state, const struct vg_model_input *in,
                          const struct vg_window *w, size_t i,
                          struct vg_contrib *out, size_t max)
{
    const struct pro_state *s = state;
    size_t lo, hi, n = 0;
    double rate = 0, tot = 0, *acc = NULL;
    struct model__kernel k;
    if (i >= in->units->n)
        return 0;
    double *wgt = pro_weights(s, in, &lo, &hi, &rate, &k);
    if (!wgt)
        return 0;
    /* the calibration needs the total risk: one spread (single thread) */
    acc = vg_calloc(in->units->n, sizeof *acc);
    if (acc) {
        model__spread(in->units, in->ev, lo, hi, wgt, &k, 1, acc);
        for (size_t u = 0; u < in->units->n; u++)
            tot += acc[u];
        double scale = tot > 0 ? rate * model__eff_days(&s->tod, in->tz, w) / tot : 0;
        n = model__spread_explain(in, lo, hi, wgt, &k, scale, i, out, max);
    }
    vg_free(acc);
    vg_free(wgt);
    return n;
}

static void pro_free(void *state)
{
    vg_free(state);
}

const struct vg_model_ops vg_model_prospective = {
    "prospective", "near-repeat risk 1/(1+d)·1/(1+t) within 400 m and 8 weeks",
    "Bowers, Johnson & Pease (2004) British Journal of Criminology 44(5):641-658",
    pro_params, 3, pro_fit, pro_predict, pro_explain, NULL, pro_free,
};

/*
 * stkde.c — space-time kernel density with exponential time decay
 * (Nakaya & Yano 2010, "Visualising crime clusters in a space-time cube",
 * Transactions in GIS 14(3):223–239; the decaying temporal kernel follows
 * Fielding & Jones 2012 / Rosser et al. 2017, J. Quant. Criminol. 33:569).
 *
 * Current rate surface (events per day per m²):
 *     λ(x) = Σ_i K_h(‖x − x_i‖) · e^{−a_i/τ} / (τ · (1 − e^{−S/τ}))
 * a_i = age of event i at t_cut in days, S = history span in days (the
 * normaliser makes the time weights integrate to 1 over the history, so a
 * stationary process gives the right level).  Events older than 10τ are
 * ignored (weight < e^{−10}).  K_h as in kde.c.  Expected count of a unit =
 * λ(centre) × surface × effective days of the window (tod.h).
 * State: parameters and the time-of-day profile (caller frees).
 */
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "model/common.h"
#include "model/models.h"

struct stkde_state {
    double kernel, h, tau;
    struct vg_tod tod;
};

static const struct vg_param_def stkde_params[] = {
    {"kernel", 0, 0, 1, "0 = Gaussian (truncated at 5 h), 1 = quartic"},
    {"bandwidth", 200, 10, 5000, "spatial bandwidth h, metres"},
    {"tau", 30, 0.5, 3650, "time-decay constant, days (weight e^(-age/tau))"},
};

static enum vg_err stkde_fit(const struct vg_model_input *in, const double *p,
                             void **state, struct vg_diag *d)
{
    enum vg_err e = model__check_input(in, "stkde", d);
    if (e)
        return e;
    struct stkde_state *s = vg_calloc(1, sizeof *s);
    if (!s)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
    s->kernel = p[0];
    s->h = p[1];
    s->tau = p[2];
    vg_tod_learn(in->ev, model__visible(in), in->tz, MODEL__TOD_SIGMA_H,
                 MODEL__TOD_PRIOR, &s->tod);
    *state = s;
    return VG_OK;
}

static double *stkde_weights(const struct stkde_state *s,
                             const struct vg_model_input *in, size_t *lo,
                             size_t *hi, struct model__kernel *k)
{
    *hi = model__visible(in);
    *lo = vg_events_before(in->ev, in->t_cut - (int64_t)(10 * s->tau * MODEL__DAY));
    k->type = s->kernel >= 0.5 ? 1 : 0;
    k->h = s->h;
    k->radius = k->type == 1 ? s->h : 5 * s->h;
    k->cellsize = 1;
    if (*hi <= *lo)
        return NULL;
    double *w = vg_malloc((*hi - *lo) * sizeof *w);
    if (!w)
        return NULL;
    double span = (double)(in->t_cut - in->ev->t[0]) / MODEL__DAY;
    if (span < 1)
        span = 1;
    double norm = s->tau * (1 - exp(-span / s->tau));
    for (size_t i = *lo; i < *hi; i++) {
        double age = (double)(in->t_cut - in->ev->t[i]) / MODEL__DAY;
        w[i - *lo] = exp(-age / s->tau) / norm;
    }
    return w;
}

static enum vg_err stkde_predict(const void *state, const struct vg_model_input *in,
                                 const struct vg_window *w, double *expected,
                                 struct vg_diag *d)
{
    const struct stkde_state *s = state;
    size_t lo, hi;
    struct model__kernel k;
    enum vg_err e = model__check_input(in, "stkde", d);
    if (e)
        return e;
    memset(expected, 0, in->units->n * sizeof *expected);
    double *wgt = stkde_weights(s, in, &lo, &hi, &k);
    if (!wgt)
        return hi > lo ? vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory") : VG_OK;
    model__spread(in->units, in->ev, lo, hi, wgt, &k, in->threads, expected);
    double eff = model__eff_days(&s->tod, in->tz, w);
    for (size_t i = 0; i < in->units->n; i++)
        expected[i] *= model__unit_m2(in->units, i) * eff;
    vg_free(wgt);
    return VG_OK;
}

static size_t stkde_explain(const void *state, const struct vg_model_input *in,
                            const struct vg_window *w, size_t i,
                            struct vg_contrib *out, size_t max)
{
    const struct stkde_state *s = state;
    size_t lo, hi, n;
    struct model__kernel k;
    if (i >= in->units->n)
        return 0;
    double *wgt = stkde_weights(s, in, &lo, &hi, &k);
    if (!wgt)
        return 0;
    double scale = model__unit_m2(in->units, i) * model__eff_days(&s->tod, in->tz, w);
    n = model__spread_explain(in, lo, hi, wgt, &k, scale, i, out, max);
    vg_free(wgt);
    return n;
}

static void stkde_free(void *state)
{
    vg_free(state);
}

const struct vg_model_ops vg_model_stkde = {
    "stkde", "space-time kernel density with exponential time decay",
    "Nakaya & Yano (2010) Transactions in GIS 14(3):223-239",
    stkde_params, 3, stkde_fit, stkde_predict, stkde_explain, NULL, stkde_free,
};

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
 * State: struct model__kd_state (kdcommon.h; caller frees).
 */
#include <math.h>

#include "base/alloc.h"
#include "model/kdcommon.h"
#include "model/models.h"

static const struct vg_param_def stkde_params[] = {
    {"kernel", 0, 0, 1, "0 = Gaussian (truncated at 5 h), 1 = quartic"},
    {"bandwidth", 200, 10, 5000, "spatial bandwidth h, metres"},
    {"tau", 30, 0.5, 3650, "time-decay constant, days (weight e^(-age/tau))"},
};

/* Events younger than 10 tau, weighing e^(-age/tau) / (tau (1 - e^(-S/tau))). */
static double *stkde_weights(const struct model__kd_state *s,
                             const struct vg_model_input *in, size_t *lo, size_t *hi)
{
    double tau = s->time;
    *hi = model__visible(in);
    *lo = vg_events_before(in->ev, in->t_cut - (int64_t)(10 * tau * MODEL__DAY));
    if (*hi <= *lo)
        return NULL;
    double *w = vg_malloc((*hi - *lo) * sizeof *w);
    if (!w)
        return NULL;
    double span = (double)(in->t_cut - in->ev->t[0]) / MODEL__DAY;
    if (span < 1)
        span = 1;
    double norm = tau * (1 - exp(-span / tau));
    for (size_t i = *lo; i < *hi; i++) {
        double age = (double)(in->t_cut - in->ev->t[i]) / MODEL__DAY;
        w[i - *lo] = exp(-age / tau) / norm;
    }
    return w;
}

static enum vg_err stkde_fit(const struct vg_model_input *in, const double *p,
                             void **state, struct vg_diag *d)
{
    return model__kd_fit(in, p, "stkde", state, d);
}

static enum vg_err stkde_predict(const void *state, const struct vg_model_input *in,
                                 const struct vg_window *w, double *expected,
                                 struct vg_diag *d)
{
    return model__kd_predict(state, stkde_weights, "stkde", in, w, expected, d);
}

static size_t stkde_explain(const void *state, const struct vg_model_input *in,
                            const struct vg_window *w, size_t i,
                            struct vg_contrib *out, size_t max)
{
    return model__kd_explain(state, stkde_weights, in, w, i, out, max);
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

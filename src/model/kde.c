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
 * State: struct model__kd_state (kdcommon.h; caller frees).
 */
#include "base/alloc.h"
#include "model/kdcommon.h"
#include "model/models.h"

static const struct vg_param_def kde_params[] = {
    {"kernel", 0, 0, 1, "0 = Gaussian (truncated at 5 h), 1 = quartic"},
    {"bandwidth", 200, 10, 5000, "kernel bandwidth h, metres"},
    {"lookback", 365, 1, 3650, "events of the last N days are used, days"},
};

/* Events of the look-back, each weighing 1/(days of the look-back actually
 * covered by the history). */
static double *kde_weights(const struct model__kd_state *s, const struct vg_model_input *in,
                           size_t *lo, size_t *hi)
{
    *hi = model__visible(in);
    int64_t from = in->t_cut - (int64_t)(s->time * MODEL__DAY);
    *lo = vg_events_before(in->ev, from);
    int64_t first = *hi ? in->ev->t[0] : in->t_cut;
    if (from < first)
        from = first;
    double days = (double)(in->t_cut - from) / MODEL__DAY;
    if (days < 1)
        days = 1;
    if (*hi <= *lo)
        return NULL;
    double *w = vg_malloc((*hi - *lo) * sizeof *w);
    for (size_t i = *lo; w && i < *hi; i++)
        w[i - *lo] = 1.0 / days;
    return w;
}

static enum vg_err kde_fit(const struct vg_model_input *in, const double *p,
                           void **state, struct vg_diag *d)
{
    return model__kd_fit(in, p, "kde", state, d);
}

static enum vg_err kde_predict(const void *state, const struct vg_model_input *in,
                               const struct vg_window *w, double *expected,
                               struct vg_diag *d)
{
    return model__kd_predict(state, kde_weights, "kde", in, w, expected, d);
}

static size_t kde_explain(const void *state, const struct vg_model_input *in,
                          const struct vg_window *w, size_t i,
                          struct vg_contrib *out, size_t max)
{
    return model__kd_explain(state, kde_weights, in, w, i, out, max);
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

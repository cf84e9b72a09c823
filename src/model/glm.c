/*
 * glm.c — Poisson regression per unit-day with covariates (in the spirit of
 * HunchLab: Azavea 2015, "HunchLab: under the hood"; the log-linear count
 * model of Cameron & Trivedi 2013, Regression Analysis of Count Data, ch. 3).
 *
 *   log E[y(u,d)] = β0 + Σ_j β_j z_j(u,d) + Σ_k γ_k D_k(d)
 * Unit-day features z (from events of days strictly before d): log1p of the
 * unit's count over the last 7, 28 and 365 days; log1p of the 8 neighbouring
 * cells' 28-day count; a KDE feature, log1p of the 365-day counts of the 5×5
 * cells around the unit weighted by exp(−(Δr²+Δc²)/2) (Gaussian, σ = 1
 * cell).  For area units the neighbour feature is 0 and the KDE feature the
 * unit's own count.  Day features D: weekday (6 dummies, Monday = 0), month
 * (11 dummies, January = 0), French public holiday (calendar.c), school
 * holiday (when a calendar is given), weather of the day from vg_weather:
 * tmax (°C), log1p precipitation (mm), log1p snowfall (mm), each
 * standardised over the training days, a missing value imputed with the
 * mean (0 after standardisation) plus a missing-indicator.
 * Continuous unit-day features are standardised (weighted mean and s.d.).
 *
 * Estimation without a dense design: every unit-day with at least one event
 * is kept; unit-days with none are kept with probability p (independent
 * draws from a stream seeded by unit and `seed`, taken by geometric gaps so
 * the cost follows the kept rows) and weight 1/p, p chosen to keep about
 * `zero_ratio` zero rows per positive row — a Horvitz–Thompson weighted
 * likelihood, unbiased for the full one.  Rows store only their 5 unit-day
 * features, day index, weight and count; day features live in one table per
 * day, so the gradient of the γ's is Σ_d D(d)·(residual summed over day d).
 * Objective: weighted negative log-likelihood / total weight + (l2/2)‖β‖²
 * (intercept unpenalised), minimised by L-BFGS (lbfgs.c).  Work is split in
 * 64 fixed row chunks reduced in order, so the fit does not depend on the
 * thread count.
 * Forecast for a window starting on local day d: exp(η(u, d)) × (window's
 * share of the week / the share of d's weekday) from the hour × weekday
 * profile (tod.h).  State: coefficients, standardisation, profile.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "model/calendar.h"
#include "model/common.h"
#include "model/glm_feat.h"
#include "model/lbfgs.h"
#include "model/models.h"

#define GLM_CHUNKS 64

struct glm_state {
    double beta[GLM_NB], raw[GLM_NB];
    struct glm_scale sc;
    double rows, sample_rate, iters, converged, obj;
    size_t nunits;
    struct vg_tod tod;
};

static const struct vg_param_def glm_params[] = {
    {"l2", 1e-4, 0, 10, "ridge penalty on standardised coefficients, per unit weight"},
    {"zero_ratio", 2, 0.5, 1000, "zero unit-days kept per unit-day with events"},
    {"train_days", 2920, 60, 20000, "training period before the cut, days"},
    {"maxiter", 300, 10, 5000, "maximum L-BFGS iterations"},
    {"seed", 1, 0, 1e9, "seed of the zero-row sampling"},
};

/* ---- objective ---- */

struct glm_obj {
    const struct glm_rows *r;
    const double *dayf; /* ndays × GLM_NDAYF */
    size_t ndays;
    double l2, wtot;
    const double *beta;
    double *dayeta;          /* ndays */
    double *rday;            /* GLM_CHUNKS × ndays */
    double f[GLM_CHUNKS], g[GLM_CHUNKS][1 + GLM_NROWF];
};

static void obj_chunk(void *arg, size_t c)
{
    struct glm_obj *o = arg;
    const struct glm_rows *r = o->r;
    size_t a = r->n * c / GLM_CHUNKS, b = r->n * (c + 1) / GLM_CHUNKS;
    double f = 0, g[1 + GLM_NROWF] = {0}, *rd = o->rday + c * o->ndays;
    memset(rd, 0, o->ndays * sizeof *rd);
    for (size_t i = a; i < b; i++) {
        const float *z = r->z + i * GLM_NROWF;
        double eta = o->beta[0] + o->dayeta[r->day[i]];
        for (int j = 0; j < GLM_NROWF; j++)
            eta += o->beta[1 + j] * z[j];
        if (eta > 30)
            eta = 30;
        double mu = exp(eta), w = r->w[i], y = r->y[i];
        f += w * (mu - y * eta);
        double res = w * (mu - y);
        g[0] += res;
        for (int j = 0; j < GLM_NROWF; j++)
            g[1 + j] += res * z[j];
        rd[r->day[i]] += res;
    }
    o->f[c] = f;
    memcpy(o->g[c], g, sizeof g);
}

static double glm_objective(void *ctx, const double *beta, double *grad)
{
    struct glm_obj *o = ctx;
    o->beta = beta;
    for (size_t d = 0; d < o->ndays; d++) {
        double s = 0;
        for (int k = 0; k < GLM_NDAYF; k++)
            s += beta[1 + GLM_NROWF + k] * o->dayf[d * GLM_NDAYF + k];
        o->dayeta[d] = s;
    }
    model__parallel(o->r->threads, GLM_CHUNKS, obj_chunk, o);
    double f = 0;
    memset(grad, 0, GLM_NB * sizeof *grad);
    for (size_t c = 0; c < GLM_CHUNKS; c++) {
        f += o->f[c];
        for (int j = 0; j <= GLM_NROWF; j++)
            grad[j] += o->g[c][j];
    }
    for (size_t d = 0; d < o->ndays; d++) {
        double rsum = 0;
        for (size_t c = 0; c < GLM_CHUNKS; c++)
            rsum += o->rday[c * o->ndays + d];
        for (int k = 0; k < GLM_NDAYF; k++)
            grad[1 + GLM_NROWF + k] += rsum * o->dayf[d * GLM_NDAYF + k];
    }
    f /= o->wtot;
    for (int j = 0; j < GLM_NB; j++) {
        grad[j] /= o->wtot;
        if (j > 0) {
            f += 0.5 * o->l2 * beta[j] * beta[j];
            grad[j] += o->l2 * beta[j];
        }
    }
    return f;
}

/* Raw-scale coefficients (per unit of the original feature). */
static void unstandardise(struct glm_state *s)
{
    memcpy(s->raw, s->beta, sizeof s->raw);
    for (int j = 0; j < GLM_NROWF; j++) {
        s->raw[1 + j] = s->beta[1 + j] / s->sc.rsd[j];
        s->raw[0] -= s->beta[1 + j] * s->sc.rmean[j] / s->sc.rsd[j];
    }
    for (int w = 0; w < 3; w++) {
        int k = 1 + GLM_NROWF + GLM_DF_TMAX + 2 * w;
        s->raw[k] = s->beta[k] / s->sc.wsd[w];
        s->raw[0] -= s->beta[k] * s->sc.wmean[w] / s->sc.wsd[w];
        s->raw[k + 1] = s->beta[k + 1] + s->beta[k] * s->sc.wmean[w] / s->sc.wsd[w];
    }
}

/* Training days [dstart, dend): from 365 days after the first event (28
 * when the history is short) to the last whole local day before the cut,
 * at most `train_days`. */
static enum vg_err train_period(const struct vg_model_input *in,
                                const struct glm_hist *h, size_t vis,
                                double train_days, int32_t *dstart,
                                int32_t *dend, struct vg_diag *d)
{
    *dend = glm__day_of(in->tz, in->t_cut);
    int32_t first = vis ? h->first_day : *dend;
    int32_t lag = *dend - first >= 365 + 60 ? 365 : 28;
    *dstart = first + lag;
    if (*dstart < *dend - (int32_t)train_days)
        *dstart = *dend - (int32_t)train_days;
    if (*dend - *dstart < 28)
        return vg_fail(d, VG_MODEL, "", 0, 0,
                       "glm: %d days of history before the cut, need at least %d",
                       (int)(*dend - first), (int)(lag + 28));
    return VG_OK;
}

static enum vg_err glm_fit(const struct vg_model_input *in, const double *p,
                           void **state, struct vg_diag *d)
{
    enum vg_err e = model__check_input(in, "glm", d);
    struct glm_state *s = NULL;
    struct glm_hist h = {0};
    struct glm_rows r = {0};
    struct glm_obj o = {0};
    double *dayf = NULL;
    if (e)
        return e;
    size_t vis = model__visible(in);
    s = vg_calloc(1, sizeof *s);
    if (!s) {
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "glm: out of memory");
        goto out;
    }
    s->nunits = in->units->n;
    if ((e = glm__hist(in, vis, &h, d)) != VG_OK)
        goto out;
    int32_t dstart, dend;
    if ((e = train_period(in, &h, vis, p[2], &dstart, &dend, d)) != VG_OK)
        goto out;
    if ((e = glm__rows(in, &h, dstart, dend, p[1], (uint64_t)p[4], &r, d)) != VG_OK)
        goto out;
    glm__scale_fit(in, &r, dstart, dend, &s->sc);
    size_t ndays = (size_t)(dend - dstart);
    dayf = vg_malloc(ndays * GLM_NDAYF * sizeof *dayf);
    o.dayeta = vg_malloc(ndays * sizeof *o.dayeta);
    o.rday = vg_malloc(GLM_CHUNKS * ndays * sizeof *o.rday);
    if (!dayf || !o.dayeta || !o.rday) {
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "glm: out of memory (%zu days)", ndays);
        goto out;
    }
    for (size_t k = 0; k < ndays; k++)
        glm__day_feats(in, &s->sc, dstart + (int32_t)k, dayf + k * GLM_NDAYF);
    glm__standardise_rows(&r, &s->sc);
    o.r = &r;
    o.dayf = dayf;
    o.ndays = ndays;
    o.l2 = p[0];
    o.wtot = r.wtot;
    s->beta[0] = log(r.ytot / r.wtot);
    struct vg_lbfgs_result res;
    if (vg_lbfgs(GLM_NB, s->beta, glm_objective, &o, (size_t)p[3], 1e-7, 1e-12,
                 &res) != VG_OK) {
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "glm: optimiser out of memory");
        goto out;
    }
    s->rows = (double)r.n;
    s->sample_rate = r.rate;
    s->iters = (double)res.iters;
    s->converged = res.converged;
    s->obj = res.f;
    unstandardise(s);
    vg_tod_learn(in->ev, vis, in->tz, MODEL__TOD_SIGMA_H, MODEL__TOD_PRIOR, &s->tod);
    *state = s;
    s = NULL;
out:
    vg_free(s);
    vg_free(dayf);
    vg_free(o.dayeta);
    vg_free(o.rday);
    glm__hist_free(&h);
    glm__rows_free(&r);
    return e;
}

/* η terms of every unit for day `day` into eta[]; returns 0 or -1 (memory). */
static int eta_of_units(const struct glm_state *s, const struct vg_model_input *in,
                        const struct glm_hist *h, int32_t day, double *eta,
                        double *dayterm)
{
    double df[GLM_NDAYF], de = 0;
    glm__day_feats(in, &s->sc, day, df);
    for (int k = 0; k < GLM_NDAYF; k++)
        de += s->beta[1 + GLM_NROWF + k] * df[k];
    if (dayterm)
        *dayterm = de;
    for (size_t u = 0; u < in->units->n; u++) {
        float z[GLM_NROWF];
        glm__row_feats(in->units, h, u, day, z);
        double e = s->beta[0] + de;
        for (int j = 0; j < GLM_NROWF; j++)
            e += s->beta[1 + j] * ((z[j] - s->sc.rmean[j]) / s->sc.rsd[j]);
        eta[u] = e > 30 ? 30 : e;
    }
    return 0;
}

static double window_ratio(const struct glm_state *s, const struct vg_model_input *in,
                           const struct vg_window *w, int32_t day)
{
    double ds = vg_tod_weekday_share(&s->tod, vg_weekday_of_days(day));
    return ds > 0 ? vg_tod_share(&s->tod, in->tz, w->start, w->end) / ds : 0;
}

static enum vg_err glm_predict(const void *state, const struct vg_model_input *in,
                               const struct vg_window *w, double *expected,
                               struct vg_diag *d)
{
    const struct glm_state *s = state;
    struct glm_hist h = {0};
    enum vg_err e = model__check_input(in, "glm", d);
    if (e)
        return e;
    if ((e = glm__hist(in, model__visible(in), &h, d)) != VG_OK)
        return e;
    int32_t day = glm__day_of(in->tz, w->start);
    eta_of_units(s, in, &h, day, expected, NULL);
    double ratio = window_ratio(s, in, w, day);
    for (size_t u = 0; u < in->units->n; u++)
        expected[u] = exp(expected[u]) * ratio;
    glm__hist_free(&h);
    return VG_OK;
}

static size_t glm_explain(const void *state, const struct vg_model_input *in,
                          const struct vg_window *w, size_t i,
                          struct vg_contrib *out, size_t max)
{
    const struct glm_state *s = state;
    struct glm_hist h = {0};
    size_t n = 0;
    if (i >= in->units->n || glm__hist(in, model__visible(in), &h, NULL) != VG_OK)
        return 0;
    int32_t day = glm__day_of(in->tz, w->start);
    float z[GLM_NROWF];
    double df[GLM_NDAYF], x[GLM_NB];
    glm__row_feats(in->units, &h, i, day, z);
    glm__day_feats(in, &s->sc, day, df);
    double eta = s->beta[0];
    x[0] = 0;
    for (int j = 0; j < GLM_NROWF; j++)
        x[1 + j] = (z[j] - s->sc.rmean[j]) / s->sc.rsd[j];
    for (int k = 0; k < GLM_NDAYF; k++)
        x[1 + GLM_NROWF + k] = df[k];
    for (int j = 1; j < GLM_NB; j++)
        eta += s->beta[j] * x[j];
    double E = exp(eta > 30 ? 30 : eta) * window_ratio(s, in, w, day);
    for (int j = 1; j < GLM_NB; j++) {
        double t = s->beta[j] * x[j];
        if (t == 0)
            continue;
        struct vg_contrib c;
        snprintf(c.what, sizeof c.what, "%s: coef %+.3f x value %.3f = %+.3f (log scale)",
                 glm__feat_name(j), s->beta[j], x[j], t);
        c.weight = E * (1 - exp(-t)); /* events added vs the term at zero */
        model__top_insert(out, &n, max, &c);
    }
    glm__hist_free(&h);
    return n;
}

static size_t glm_fitted(const void *state, const char **names, double *values,
                         size_t max)
{
    const struct glm_state *s = state;
    static const char *const extra[] = {"rows", "sample_rate", "iterations",
                                        "converged", "objective"};
    double ev[] = {s->rows, s->sample_rate, s->iters, s->converged, s->obj};
    size_t n = 0;
    for (int j = 0; j < GLM_NB && n < max; j++, n++) {
        names[n] = glm__coef_name(j);
        values[n] = s->raw[j];
    }
    for (size_t k = 0; k < 5 && n < max; k++, n++) {
        names[n] = extra[k];
        values[n] = ev[k];
    }
    return n;
}

static void glm_free(void *state)
{
    vg_free(state);
}

const struct vg_model_ops vg_model_glm = {
    "glm", "Poisson regression per unit-day: lagged counts, neighbours, KDE, calendar, weather",
    "Cameron & Trivedi (2013) Regression Analysis of Count Data; Azavea (2015) HunchLab",
    glm_params, 5, glm_fit, glm_predict, glm_explain, glm_fitted, glm_free,
};

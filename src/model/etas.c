/*
 * etas.c — grid self-exciting point process (Mohler, Short, Malinowski,
 * Johnson, Tita, Bertozzi & Brantingham 2015, "Randomized controlled field
 * trials of predictive policing", JASA 110(512):1399–1411, eq. 1; the EM of
 * Mohler et al. 2011, JASA 106(493):100–108, and Veen & Schoenberg 2008).
 *
 * Intensity in unit c at time t (days):
 *     λ_c(t) = μ_c + θ ω Σ_{t_i < t, unit_i = c} e^{−ω (t − t_i)}
 * θ is the branching ratio (expected children per event), ω the decay rate
 * per day.  Fitted by EM over the visible history [t_0, t_cut):
 *   E-step  p_bg(j) = μ_c/λ_c(t_j), p_trig(i→j) = θωe^{−ω(t_j−t_i)}/λ_c(t_j);
 *           sums over i use the recursion A_j = e^{−ωΔ}(A_{j−1}+1) (O(n));
 *   M-step  μ_c = Σ_{j∈c} p_bg(j) / T,
 *           θ = Σ p_trig / Σ_j (1 − e^{−ω(T − t_j)})   (exact compensator),
 *           ω = Σ p_trig / Σ p_trig (t_j − t_i)          (boundary ignored,
 *           as in Mohler 2011; negligible when T ≫ 1/ω).
 * Assumptions: triggering stays within the unit; events with identical
 * timestamps do not trigger each other (duplicated records — one row per
 * victim — would otherwise be read as instant contagion); θ is capped at
 * 0.995.  Stops when the relative changes of θ, ω and Σμ are all below
 * `tol` (default 1e-6) or after `maxiter` (default 300) iterations.
 * Work is split into 64 fixed unit ranges summed in order, so the fit is
 * identical for any thread count.
 * Forecast for window [s, e): μ_c × effective days (tod.h) + θ Σ_i
 * (e^{−ω(s−t_i)} − e^{−ω(e−t_i)}) × (effective days / real days), i.e. the
 * background follows the hour × weekday profile and the triggered part its
 * exact decay, reshaped by the same profile.
 * State: μ per unit, θ, ω and the profile; caller frees.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "model/common.h"
#include "model/models.h"

#define ETAS_CHUNKS 64
#define ETAS_THETA_MAX 0.995

struct etas_state {
    size_t n;
    double *mu; /* per unit, events per day */
    double theta, omega, mu_total, loglik, iters, converged;
    struct vg_tod tod;
};

static const struct vg_param_def etas_params[] = {
    {"maxiter", 300, 1, 10000, "maximum EM iterations"},
    {"tol", 1e-6, 1e-12, 1e-1, "relative change of theta, omega, sum(mu) to stop"},
    {"omega0", 0.1, 1e-4, 100, "initial decay rate, per day"},
    {"theta0", 0.3, 0.01, 0.95, "initial branching ratio"},
};

struct em {
    size_t nu;
    const size_t *start;  /* CSR over units: events of unit c are ts[start[c]..start[c+1]) */
    const double *ts;     /* event times, days since t0 */
    double T, theta, omega;
    double *mu;           /* in: current; the E-step writes sums to pbg */
    double *pbg;          /* per unit Σ p_bg */
    double trig[ETAS_CHUNKS], trigdt[ETAS_CHUNKS], comp[ETAS_CHUNKS], ll[ETAS_CHUNKS];
};

static void em_chunk(void *arg, size_t chunk)
{
    struct em *m = arg;
    size_t c0 = m->nu * chunk / ETAS_CHUNKS, c1 = m->nu * (chunk + 1) / ETAS_CHUNKS;
    double tw = m->theta * m->omega, S = 0, SD = 0, C = 0, L = 0;
    for (size_t c = c0; c < c1; c++) {
        double A = 0, B = 0, tlast = -1, mu = m->mu[c], pb = 0;
        size_t same = 0;
        for (size_t j = m->start[c]; j < m->start[c + 1]; j++) {
            double t = m->ts[j];
            if (t > tlast) {
                double Ap = A + (double)same, dt = tlast < 0 ? 0 : t - tlast;
                double f = exp(-m->omega * dt);
                B = f * (B + dt * Ap);
                A = f * Ap;
                same = 0;
                tlast = t;
            }
            double lam = mu + tw * A;
            if (lam > 0) {
                pb += mu / lam;
                S += tw * A / lam;
                SD += tw * B / lam;
                L += log(lam);
            }
            C += 1 - exp(-m->omega * (m->T - t));
            same++;
        }
        m->pbg[c] = pb;
    }
    m->trig[chunk] = S;
    m->trigdt[chunk] = SD;
    m->comp[chunk] = C;
    m->ll[chunk] = L;
}

/* CSR of visible event times per unit (events outside every unit dropped). */
static enum vg_err etas_csr(const struct vg_model_input *in, size_t vis,
                            size_t **start, double **ts, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    int32_t *unit = NULL;
    size_t nu = in->units->n, *fill = NULL;
    *start = vg_calloc(nu + 1, sizeof **start);
    *ts = vg_malloc((vis ? vis : 1) * sizeof **ts);
    fill = vg_calloc(nu + 1, sizeof *fill);
    if (!*start || !*ts || !fill) {
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "etas: out of memory");
        goto out;
    }
    if ((e = model__units_of(in->units, in->ev, vis, &unit, d)) != VG_OK)
        goto out;
    for (size_t k = 0; k < vis; k++)
        if (unit[k] >= 0)
            (*start)[unit[k] + 1]++;
    for (size_t c = 0; c < nu; c++)
        (*start)[c + 1] += (*start)[c];
    memcpy(fill, *start, (nu + 1) * sizeof *fill);
    for (size_t k = 0; k < vis; k++)
        if (unit[k] >= 0)
            (*ts)[fill[unit[k]]++] = (double)(in->ev->t[k] - in->ev->t[0]) / MODEL__DAY;
out:
    vg_free(unit);
    vg_free(fill);
    return e;
}

static double sum64(const double *a)
{
    double s = 0;
    for (int i = 0; i < ETAS_CHUNKS; i++)
        s += a[i];
    return s;
}

static void em_run(struct em *m, const double *p, int threads, struct etas_state *s)
{
    size_t maxit = (size_t)p[0];
    double tol = p[1], mut = 0, it;
    for (size_t c = 0; c < m->nu; c++)
        mut += m->mu[c];
    for (it = 1; it <= (double)maxit; it++) {
        model__parallel(threads, ETAS_CHUNKS, em_chunk, m);
        double S = sum64(m->trig), SD = sum64(m->trigdt), C = sum64(m->comp);
        double nmut = 0;
        for (size_t c = 0; c < m->nu; c++) {
            m->mu[c] = m->pbg[c] / m->T;
            nmut += m->mu[c];
        }
        double nth = C > 0 ? S / C : 0, nom = SD > 0 ? S / SD : m->omega;
        if (nth > ETAS_THETA_MAX)
            nth = ETAS_THETA_MAX;
        double ch = fabs(nth - m->theta) / (m->theta > 1e-12 ? m->theta : 1e-12);
        double co = fabs(nom - m->omega) / m->omega;
        double cm = fabs(nmut - mut) / (nmut > 0 ? nmut : 1);
        s->loglik = sum64(m->ll) - m->T * mut - m->theta * C;
        m->theta = nth;
        m->omega = nom;
        mut = nmut;
        if (ch < tol && co < tol && cm < tol) {
            s->converged = 1;
            break;
        }
        if (nth < 1e-9) { /* no self-excitation: ω unidentifiable, stop */
            s->converged = 1;
            break;
        }
    }
    s->iters = it > (double)maxit ? (double)maxit : it;
    s->mu_total = mut;
}

static enum vg_err etas_fit(const struct vg_model_input *in, const double *p,
                            void **state, struct vg_diag *d)
{
    enum vg_err e = model__check_input(in, "etas", d);
    struct etas_state *s = NULL;
    size_t *start = NULL;
    double *ts = NULL, *pbg = NULL;
    if (e)
        return e;
    size_t vis = model__visible(in), nu = in->units->n;
    if (vis < 2) {
        e = vg_fail(d, VG_MODEL, "", 0, 0, "etas: %zu events before the cut, need at least 2", vis);
        goto out;
    }
    s = vg_calloc(1, sizeof *s);
    pbg = vg_calloc(nu, sizeof *pbg);
    if (!s || !pbg || !(s->mu = vg_calloc(nu, sizeof *s->mu))) {
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "etas: out of memory");
        goto out;
    }
    s->n = nu;
    if ((e = etas_csr(in, vis, &start, &ts, d)) != VG_OK)
        goto out;
    struct em m = {0};
    m.nu = nu;
    m.start = start;
    m.ts = ts;
    m.T = (double)(in->t_cut - in->ev->t[0]) / MODEL__DAY;
    m.theta = p[3];
    m.omega = p[2];
    m.mu = s->mu;
    m.pbg = pbg;
    for (size_t c = 0; c < nu; c++)
        s->mu[c] = (1 - m.theta) * (double)(start[c + 1] - start[c]) / m.T;
    em_run(&m, p, in->threads, s);
    s->theta = m.theta;
    s->omega = m.omega;
    vg_tod_learn(in->ev, vis, in->tz, MODEL__TOD_SIGMA_H, MODEL__TOD_PRIOR, &s->tod);
    *state = s;
    s = NULL;
out:
    if (s)
        vg_free(s->mu);
    vg_free(s);
    vg_free(pbg);
    vg_free(start);
    vg_free(ts);
    return e;
}

/* Triggered expectation of one past event at time t in window w (events),
 * before the profile reshaping. */
static double trig_of(const struct etas_state *s, int64_t t, const struct vg_window *w)
{
    double a = (double)(w->start - t) / MODEL__DAY, b = (double)(w->end - t) / MODEL__DAY;
    return s->theta * (exp(-s->omega * a) - exp(-s->omega * b));
}

static enum vg_err etas_predict(const void *state, const struct vg_model_input *in,
                                const struct vg_window *w, double *expected,
                                struct vg_diag *d)
{
    const struct etas_state *s = state;
    enum vg_err e = model__check_input(in, "etas", d);
    if (e)
        return e;
    if (in->units->n != s->n)
        return vg_fail(d, VG_STATE, "", 0, 0, "etas: fitted on %zu units, asked for %zu",
                       s->n, in->units->n);
    double eff = model__eff_days(&s->tod, in->tz, w);
    double len = (double)(w->end - w->start) / MODEL__DAY;
    double reshape = len > 0 ? eff / len : 0;
    for (size_t c = 0; c < s->n; c++)
        expected[c] = s->mu[c] * eff;
    size_t vis = model__visible(in);
    /* older events contribute less than e^-40 of θ: skip them */
    int64_t horizon = w->start - (int64_t)(40.0 / s->omega * MODEL__DAY);
    for (size_t k = vg_events_before(in->ev, horizon); k < vis; k++) {
        int32_t u = model__unit_of(in->units, in->ev->x[k], in->ev->y[k],
                                   in->ev->area ? in->ev->area[k] : -1);
        if (u >= 0)
            expected[u] += trig_of(s, in->ev->t[k], w) * reshape;
    }
    return VG_OK;
}

static size_t etas_explain(const void *state, const struct vg_model_input *in,
                           const struct vg_window *w, size_t i,
                           struct vg_contrib *out, size_t max)
{
    const struct etas_state *s = state;
    size_t n = 0;
    if (i >= s->n || i >= in->units->n || max == 0)
        return 0;
    double eff = model__eff_days(&s->tod, in->tz, w);
    double len = (double)(w->end - w->start) / MODEL__DAY;
    struct vg_contrib c;
    snprintf(c.what, sizeof c.what, "background rate %.4f events/day", s->mu[i]);
    c.weight = s->mu[i] * eff;
    model__top_insert(out, &n, max, &c);
    size_t vis = model__visible(in);
    int64_t horizon = w->start - (int64_t)(40.0 / s->omega * MODEL__DAY);
    for (size_t k = vg_events_before(in->ev, horizon); k < vis; k++) {
        if (model__unit_of(in->units, in->ev->x[k], in->ev->y[k],
                           in->ev->area ? in->ev->area[k] : -1) != (int32_t)i)
            continue;
        char date[16];
        model__date(in->tz, in->ev->t[k], date, sizeof date);
        snprintf(c.what, sizeof c.what, "event #%lld on %s, same unit, %.1f days before",
                 (long long)in->ev->id[k], date,
                 (double)(w->start - in->ev->t[k]) / MODEL__DAY);
        c.weight = trig_of(s, in->ev->t[k], w) * (len > 0 ? eff / len : 0);
        model__top_insert(out, &n, max, &c);
    }
    return n;
}

static size_t etas_fitted(const void *state, const char **names, double *values,
                          size_t max)
{
    const struct etas_state *s = state;
    const char *nm[] = {"theta", "omega", "mu_total", "loglik", "iterations", "converged"};
    double v[] = {s->theta, s->omega, s->mu_total, s->loglik, s->iters, s->converged};
    size_t n = 0;
    for (; n < max && n < 6; n++) {
        names[n] = nm[n];
        values[n] = v[n];
    }
    return n;
}

static void etas_free(void *state)
{
    struct etas_state *s = state;
    if (!s)
        return;
    vg_free(s->mu);
    vg_free(s);
}

const struct vg_model_ops vg_model_etas = {
    "etas", "self-exciting point process per cell, fitted by EM (PredPol-style)",
    "Mohler et al. (2015) JASA 110(512):1399-1411; Mohler et al. (2011) JASA 106(493):100-108",
    etas_params, 4, etas_fit, etas_predict, etas_explain, etas_fitted, etas_free,
};

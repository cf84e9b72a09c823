/* Tests of the grid self-exciting process: the seeded simulator against
 * closed-form theory, and EM recovery of theta and omega (etas.c). */
#include <stdlib.h>
#include <time.h>

#include "../../test.h"
#include "model/simulate.h"
#include "mtest.h"

/* Expected count on [0, T) of a process started empty:
 * E N = μT/(1−θ) − μθ/(ω(1−θ)²)·(1 − e^{−ω(1−θ)T})  (renewal equation for
 * the mean intensity λ̄' = −ω(1−θ)λ̄ + ωμ, λ̄(0) = μ). */
static double theory_mean(double mu, double th, double om, double T)
{
    return mu * T / (1 - th) -
           mu * th / (om * (1 - th) * (1 - th)) * (1 - exp(-om * (1 - th) * T));
}

TEST(etas_simulator_matches_theory)
{
    struct vg_units u;
    struct vg_events ev;
    struct vg_diag d;
    double mu[500];
    mt_grid(&u, 25, 20, 100, 0, 0);
    double mut = 0;
    for (int i = 0; i < 500; i++)
        mut += mu[i] = 0.005 + 0.03 * (i % 7) / 6.0;
    const double th[] = {0.0, 0.5, 0.8}, om[] = {0.2, 0.2, 1.0}, T = 2000;
    for (int k = 0; k < 3; k++) {
        vg_events_init(&ev);
        REQUIRE(vg_simulate_etas(&u, mu, th[k], om[k], T, 0, 1000 + k, 10000000,
                                 &ev, &d) == VG_OK);
        double mean = theory_mean(mut, th[k], om[k], T);
        /* cluster process: Var N ≈ μT/(1−θ)³ */
        double sd = sqrt(mut * T / pow(1 - th[k], 3));
        if (!(fabs((double)ev.n - mean) < 4 * sd))
            vg_test_fail(__FILE__, __LINE__, "theta %g: %zu events, theory %.1f ± %.1f",
                         th[k], ev.n, mean, sd);
        /* no event outside [0, T) and in a unit */
        CHECK(ev.t[0] >= 0 && ev.t[ev.n - 1] < (int64_t)(T * 86400));
        vg_events_free(&ev);
    }
    /* same seed, same events */
    struct vg_events a, b;
    vg_events_init(&a);
    vg_events_init(&b);
    vg_simulate_etas(&u, mu, 0.5, 0.2, 100, 0, 9, 1000000, &a, &d);
    vg_simulate_etas(&u, mu, 0.5, 0.2, 100, 0, 9, 1000000, &b, &d);
    CHECK(a.n == b.n && memcmp(a.t, b.t, a.n * sizeof *a.t) == 0);
    vg_events_free(&a);
    vg_events_free(&b);
    mt_grid_free(&u);
}

static void fit_sim(double theta, double omega, double tol_th, double tol_om)
{
    struct vg_units u;
    struct vg_events ev;
    struct vg_diag d;
    double mu[900], mut = 0;
    const struct vg_tz *tz = vg_tz_get("UTC", NULL);
    mt_grid(&u, 30, 30, 100, 0, 0);
    for (int i = 0; i < 900; i++)
        mut += mu[i] = 0.002 + 0.02 * ((i * 37) % 11) / 10.0;
    vg_events_init(&ev);
    const double T = 3000;
    REQUIRE(vg_simulate_etas(&u, mu, theta, omega, T, 0, 77, 10000000, &ev, &d) == VG_OK);
    const struct vg_model_ops *m = vg_model_find("etas");
    double p[VG_MODEL_MAX_PARAMS];
    void *st = NULL;
    REQUIRE(vg_model_params(m, NULL, 0, p, &d) == VG_OK);
    struct vg_model_input in = mt_input(&ev, &u, tz, (int64_t)(T * 86400));
    in.threads = 2;
    /* the EM's T runs from the first event; shift-free since t0 = 0 and the
     * first event comes within minutes */
    REQUIRE(m->fit(&in, p, &st, &d) == VG_OK);
    const char *nm[8];
    double v[8];
    size_t n = m->fitted(st, nm, v, 8);
    REQUIRE(n >= 3);
    CHECK_STR(nm[0], "theta");
    CHECK_STR(nm[1], "omega");
    CHECK_STR(nm[2], "mu_total");
    if (!(fabs(v[0] - theta) < tol_th) || !(fabs(v[1] / omega - 1) < tol_om) ||
        !(fabs(v[2] / mut - 1) < 0.05))
        vg_test_fail(__FILE__, __LINE__,
                     "EM: theta %.4f (true %.2f), omega %.4f (true %.2f), "
                     "mu_total %.4f (true %.4f), %zu events",
                     v[0], theta, v[1], omega, v[2], mut, ev.n);
    CHECK(v[5] == 1); /* converged */
    if (getenv("VG_VERBOSE"))
        fprintf(stderr, "theta %.4f omega %.4f mu %.4f/%.4f iters %g n %zu\n", v[0], v[1], v[2], mut, v[4], ev.n);
    m->free(st);
    vg_events_free(&ev);
    mt_grid_free(&u);
}

/* Tolerances: |θ̂ − θ| < 0.03 and |ω̂/ω − 1| < 10 % (≈ 30k–60k events; the
 * sampling s.d. of θ̂ is about 0.01 there), Σμ within 5 %. */
TEST(etas_em_recovers_theta_omega)
{
    fit_sim(0.4, 0.3, 0.03, 0.10);
    fit_sim(0.7, 1.5, 0.03, 0.10);
}

TEST(etas_predict_and_explain)
{
    /* one unit, fitted state replaced by known values through a fit on a
     * tiny history, then compared with the formula on the visible events */
    struct vg_units u;
    struct vg_events ev;
    struct vg_diag d;
    const struct vg_tz *tz = vg_tz_get("UTC", NULL);
    double mu[4] = {0.05, 0.05, 0.05, 0.05};
    mt_grid(&u, 2, 2, 100, 0, 0);
    vg_events_init(&ev);
    REQUIRE(vg_simulate_etas(&u, mu, 0.5, 0.5, 1000, 0, 3, 100000, &ev, &d) == VG_OK);
    const struct vg_model_ops *m = vg_model_find("etas");
    double p[VG_MODEL_MAX_PARAMS], out[4];
    void *st = NULL;
    REQUIRE(vg_model_params(m, NULL, 0, p, &d) == VG_OK);
    int64_t cut = 1000 * 86400;
    struct vg_model_input in = mt_input(&ev, &u, tz, cut);
    REQUIRE(m->fit(&in, p, &st, &d) == VG_OK);
    const char *nm[8];
    double v[8];
    m->fitted(st, nm, v, 8);
    /* a one-week window from the cut: eff days = 7 = real days, so
     * expected = μ_c·7 + θ Σ (e^{−ω a_i} − e^{−ω (a_i+7)}) */
    struct vg_window w = {cut, cut + 7 * 86400};
    REQUIRE(m->predict(st, &in, &w, out, &d) == VG_OK);
    struct vg_contrib c[50];
    size_t nc = m->explain(st, &in, &w, 0, c, 50);
    double sum = 0;
    for (size_t k = 0; k < nc; k++)
        sum += c[k].weight;
    for (size_t k = 1; k < nc; k++)
        CHECK(c[k - 1].weight >= c[k].weight);
    double trig = 0;
    for (size_t k = 0; k < ev.n; k++)
        if (ev.x[k] < 100 && ev.y[k] < 100) {
            double a = (double)(cut - ev.t[k]) / 86400;
            trig += v[0] * (exp(-v[1] * a) - exp(-v[1] * (a + 7)));
        }
    /* the explanation lists the background and every triggering event
     * (up to 50): their sum is the forecast */
    CHECK(nc < 50);
    CHECK_NEAR(sum, out[0], 1e-9);
    CHECK(out[0] > trig);
    CHECK(strstr(c[nc - 1].what, "event #") || strstr(c[nc - 1].what, "background"));
    m->free(st);
    vg_events_free(&ev);
    mt_grid_free(&u);
}

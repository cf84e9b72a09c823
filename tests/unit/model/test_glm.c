/* Tests of the Poisson GLM (glm.c): coefficients recovered from data
 * simulated from a known model (own simulator, independent of glm_feat.c),
 * thread determinism, explain(). */
#include <stdlib.h>

#include "../../test.h"
#include "model/calendar.h"
#include "model/simulate.h"
#include "mtest.h"

#define NDAYS 1500

struct glm_sim {
    struct vg_units u;
    struct vg_events ev;
    struct vg_weather w;
    int64_t day0, cut;
};

/* log μ = −3.2 + 0.5·log1p(own count of the last 28 days) + 0.4·[Saturday]
 *         + 0.6·[French public holiday] + 0.03·tmax(°C)
 * tmax is reported missing (NAN) on ~5 % of days (the truth still uses it). */
static void simulate(struct glm_sim *s, uint64_t seed)
{
    mt_grid(&s->u, 20, 10, 100, 0, 0);
    vg_events_init(&s->ev);
    s->day0 = vg_days_from_civil(2012, 1, 1);
    s->cut = (s->day0 + NDAYS) * 86400;
    memset(&s->w, 0, sizeof s->w);
    s->w.day0 = s->day0;
    s->w.ndays = NDAYS;
    s->w.tmax_c = calloc(NDAYS, sizeof(double));
    s->w.prcp_mm = calloc(NDAYS, sizeof(double));
    s->w.snow_mm = calloc(NDAYS, sizeof(double));
    double *tmax = calloc(NDAYS, sizeof(double));
    int *cnt = calloc((size_t)NDAYS * s->u.n, sizeof(int));
    int64_t id = 1;
    for (int d = 0; d < NDAYS; d++) {
        tmax[d] = 12 + 6 * sin(2 * M_PI * d / 365.25) + 20 * (vg_sim_uniform(&seed) - 0.5);
        s->w.tmax_c[d] = vg_sim_uniform(&seed) < 0.05 ? NAN : tmax[d];
        s->w.prcp_mm[d] = vg_sim_uniform(&seed) < 0.6 ? 0 : -5 * log(vg_sim_uniform(&seed));
        int64_t day = s->day0 + d;
        double dayterm = (vg_weekday_of_days(day) == 6 ? 0.4 : 0) +
                         (vg_calendar_french_holiday(day) ? 0.6 : 0) + 0.03 * tmax[d];
        for (size_t u = 0; u < s->u.n; u++) {
            int c28 = 0;
            for (int k = d - 28; k < d; k++)
                if (k >= 0)
                    c28 += cnt[(size_t)k * s->u.n + u];
            double mu = exp(-3.2 + 0.5 * log1p(c28) + dayterm);
            unsigned long y = vg_sim_poisson(&seed, mu);
            cnt[(size_t)d * s->u.n + u] = (int)y;
            for (unsigned long j = 0; j < y; j++)
                mt_push(&s->ev, id++, day * 86400 + 9 * 3600 + (int64_t)j * 600,
                        s->u.cx[u], s->u.cy[u]);
        }
    }
    vg_events_sort(&s->ev);
    free(tmax);
    free(cnt);
}

static void sim_free(struct glm_sim *s)
{
    free(s->w.tmax_c);
    free(s->w.prcp_mm);
    free(s->w.snow_mm);
    vg_events_free(&s->ev);
    mt_grid_free(&s->u);
}

static double coef(const char **nm, const double *v, size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(nm[i], want) == 0)
            return v[i];
    return NAN;
}

TEST(glm_recovers_simulated_coefficients)
{
    struct glm_sim s;
    struct vg_diag d;
    const struct vg_tz *tz = vg_tz_get("UTC", NULL);
    simulate(&s, 2024);
    const struct vg_model_ops *m = vg_model_find("glm");
    double p[VG_MODEL_MAX_PARAMS];
    void *st = NULL;
    REQUIRE(vg_model_params(m, NULL, 0, p, &d) == VG_OK);
    struct vg_model_input in = mt_input(&s.ev, &s.u, tz, s.cut);
    in.weather = &s.w;
    in.threads = 2;
    if (m->fit(&in, p, &st, &d) != VG_OK) {
        vg_test_fail(__FILE__, __LINE__, "fit: %s", d.msg);
        sim_free(&s);
        return;
    }
    const char *nm[64];
    double v[64];
    size_t n = m->fitted(st, nm, v, 64);
    if (getenv("VG_VERBOSE"))
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "  %-16s %+.4f\n", nm[i], v[i]);
    /* tolerances ≈ 3–4 standard errors for ~25k events */
    CHECK_NEAR(coef(nm, v, n, "lag_28d"), 0.5, 0.1);
    CHECK_NEAR(coef(nm, v, n, "sat"), 0.4, 0.08);
    CHECK_NEAR(coef(nm, v, n, "sun"), 0.0, 0.08);
    CHECK_NEAR(coef(nm, v, n, "public_holiday"), 0.6, 0.2);
    CHECK_NEAR(coef(nm, v, n, "tmax_c"), 0.03, 0.008);
    CHECK_NEAR(coef(nm, v, n, "lag_7d"), 0.0, 0.12);
    CHECK_NEAR(coef(nm, v, n, "log1p_prcp_mm"), 0.0, 0.06);
    CHECK(coef(nm, v, n, "converged") == 1);
    CHECK(coef(nm, v, n, "sample_rate") < 1);

    /* predict: identical with 1 thread; explain's terms are finite */
    double a[200], b[200];
    struct vg_window w = {s.cut + 20 * 3600, s.cut + 28 * 3600};
    REQUIRE(m->predict(st, &in, &w, a, &d) == VG_OK);
    void *st1 = NULL;
    in.threads = 1;
    REQUIRE(m->fit(&in, p, &st1, &d) == VG_OK);
    REQUIRE(m->predict(st1, &in, &w, b, &d) == VG_OK);
    CHECK(memcmp(a, b, sizeof a) == 0);
    for (int i = 0; i < 200; i++)
        CHECK(a[i] > 0 && a[i] < 1);
    struct vg_contrib c[8];
    size_t nc = m->explain(st, &in, &w, 5, c, 8);
    CHECK(nc > 0);
    for (size_t i = 0; i < nc; i++)
        CHECK(isfinite(c[i].weight));
    m->free(st);
    m->free(st1);
    sim_free(&s);
}

TEST(glm_too_little_history)
{
    struct vg_units u;
    struct vg_events ev;
    struct vg_diag d;
    const struct vg_tz *tz = vg_tz_get("UTC", NULL);
    mt_grid(&u, 2, 2, 100, 0, 0);
    vg_events_init(&ev);
    int64_t cut = mt_utc(2018, 1, 20, 0, 0);
    mt_push(&ev, 1, cut - 10 * 86400, 50, 50);
    const struct vg_model_ops *m = vg_model_find("glm");
    double p[VG_MODEL_MAX_PARAMS];
    void *st = NULL;
    vg_model_params(m, NULL, 0, p, &d);
    struct vg_model_input in = mt_input(&ev, &u, tz, cut);
    CHECK(m->fit(&in, p, &st, &d) == VG_MODEL);
    CHECK(strstr(d.msg, "history") != NULL);
    CHECK(st == NULL);
    vg_events_free(&ev);
    mt_grid_free(&u);
}

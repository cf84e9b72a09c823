/* Tests of kde, prospective and stkde: hand-worked values, an independent
 * numpy/scipy reference (scripts/ref_models.py), thread-count and
 * data-prefix determinism. */
#include <stdio.h>
#include <stdlib.h>

#include "../../test.h"
#include "mtest.h"

static int predict(const char *name, const char *const *kv, size_t nkv,
                   struct vg_model_input *in, const struct vg_window *w,
                   double *out)
{
    const struct vg_model_ops *m = vg_model_find(name);
    double p[VG_MODEL_MAX_PARAMS];
    void *st = NULL;
    struct vg_diag d;
    int rc = -1;
    if (vg_model_params(m, kv, nkv, p, &d) == VG_OK && m->fit(in, p, &st, &d) == VG_OK &&
        m->predict(st, in, w, out, &d) == VG_OK)
        rc = 0;
    if (st)
        m->free(st);
    return rc;
}

TEST(kde_quartic_hand_worked)
{
    const struct vg_tz *tz = vg_tz_get("UTC", NULL);
    struct vg_units u;
    struct vg_events ev;
    double out[25];
    mt_grid(&u, 5, 5, 100, 0, 0);
    vg_events_init(&ev);
    int64_t cut = mt_utc(2018, 6, 1, 0, 0);
    mt_push(&ev, 1, cut - 500 * 86400, 5000, 5000); /* far, old: sets history */
    mt_push(&ev, 2, cut - 10 * 86400, 250, 250);    /* centre of cell (2,2) */
    mt_push(&ev, 3, cut - 20 * 86400, 250, 300);    /* 50 m north of it */
    vg_events_sort(&ev);
    struct vg_model_input in = mt_input(&ev, &u, tz, cut);
    struct vg_window w = {cut, cut + 7 * 86400};
    const char *kv[] = {"kernel=1", "bandwidth=100"};
    REQUIRE(predict("kde", kv, 2, &in, &w, out) == 0);
    /* centre: 3/(pi h²)[1 + (1-0.25)²] / 365 days × 100² m² × 7 days */
    double k0 = 3 / (M_PI * 1e4);
    CHECK_NEAR(out[12], k0 * (1 + 0.5625) / 365 * 1e4 * 7, 1e-12);
    /* cell (2,3), centre (250,350): event 3 at 50 m, event 2 at 100 m (edge) */
    CHECK_NEAR(out[17], k0 * 0.5625 / 365 * 1e4 * 7, 1e-12);
    CHECK_NEAR(out[11], 0, 0); /* (1,2): 100 m and 111.8 m away */
    vg_events_free(&ev);
    mt_grid_free(&u);
}

TEST(prospective_hand_worked)
{
    const struct vg_tz *tz = vg_tz_get("UTC", NULL);
    struct vg_units u;
    struct vg_events ev;
    double out[50];
    mt_grid(&u, 10, 5, 100, 0, 0);
    vg_events_init(&ev);
    int64_t cut = mt_utc(2018, 6, 1, 0, 0);
    mt_push(&ev, 1, cut - 100 * 86400, 9000, 9000); /* outside, old */
    mt_push(&ev, 2, cut - 3 * 86400, 50, 50);       /* A: cell (0,0), t = 0 weeks */
    mt_push(&ev, 3, cut - 10 * 86400, 250, 50);     /* B: cell (2,0), t = 1 week */
    vg_events_sort(&ev);
    struct vg_model_input in = mt_input(&ev, &u, tz, cut);
    struct vg_window w = {cut, cut + 7 * 86400};
    REQUIRE(predict("prospective", NULL, 0, &in, &w, out) == 0);
    /* scores: (1,0): A 1/2 + B 1/2·1/2 = 0.75; (0,0): 1 + 1/3·1/2 = 7/6 */
    CHECK_NEAR(out[1] / out[0], 0.75 / (7.0 / 6), 1e-12);
    /* (6,0) is 400 m from B: 1/5 · 1/2; 600 m from A: nothing */
    CHECK_NEAR(out[6] / out[0], 0.1 / (7.0 / 6), 1e-12);
    CHECK_NEAR(out[7], 0, 0);
    /* calibration: 2 events in the last 8 weeks → 2/56 per day × 7 days */
    double s = 0;
    for (int i = 0; i < 50; i++)
        s += out[i];
    CHECK_NEAR(s, 2.0 / 56 * 7, 1e-12);
    vg_events_free(&ev);
    mt_grid_free(&u);
}

/* Random events over a 2 km square, some outside the 20×20 grid. */
static void random_events(struct vg_events *ev, int64_t cut, int n, uint64_t seed)
{
    vg_events_init(ev);
    for (int i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        double x = (double)((seed >> 20) % 2400000) / 1000.0 - 200;
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        double y = (double)((seed >> 20) % 2400000) / 1000.0 - 200;
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int64_t age = (int64_t)((seed >> 24) % (600 * 86400));
        /* cluster half of them near (700, 900) */
        if (i % 2) {
            x = 700 + (x - 1000) / 8;
            y = 900 + (y - 1000) / 8;
            age /= 10;
        }
        mt_push(ev, i + 1, cut - 1 - age, x, y);
    }
    vg_events_sort(ev);
}

static void compare_with_python(const char *model, const char *const *kv, size_t nkv,
                                double p1, double p2, double p3)
{
    const struct vg_tz *tz = vg_tz_get("UTC", NULL);
    struct vg_units u;
    struct vg_events ev;
    double out[400];
    char path[512], cmd[1024], line[256];
    int64_t cut = mt_utc(2018, 6, 1, 0, 0);
    mt_grid(&u, 20, 20, 100, 0, 0);
    random_events(&ev, cut, 600, 42);
    struct vg_model_input in = mt_input(&ev, &u, tz, cut);
    struct vg_window w = {cut, cut + 7 * 86400};
    REQUIRE(predict(model, kv, nkv, &in, &w, out) == 0);
    snprintf(path, sizeof path, "%s/ref_%s.csv", vg_test_tmpdir(), model);
    FILE *f = fopen(path, "w");
    REQUIRE(f);
    fprintf(f, "x,y,t\n");
    for (size_t i = 0; i < ev.n; i++)
        fprintf(f, "%.17g,%.17g,%lld\n", ev.x[i], ev.y[i], (long long)ev.t[i]);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 scripts/ref_models.py %s %s %lld 0 0 100 20 20 %g %g %g",
             path, model, (long long)cut, p1, p2, p3);
    FILE *pp = popen(cmd, "r");
    REQUIRE(pp);
    int n = 0, bad = 0;
    double maxv = 0;
    for (int i = 0; i < 400; i++)
        maxv = fmax(maxv, out[i]);
    while (fgets(line, sizeof line, pp)) {
        int unit;
        double v;
        if (sscanf(line, "%d %lf", &unit, &v) != 2 || unit < 0 || unit >= 400)
            continue;
        n++;
        if (fabs(v - out[unit]) > 1e-9 * maxv + 1e-15) {
            if (bad++ < 3)
                vg_test_fail(__FILE__, __LINE__, "%s unit %d: C %.17g python %.17g",
                             model, unit, out[unit], v);
        }
    }
    CHECK(pclose(pp) == 0);
    CHECK_EQ_INT(n, 400);
    CHECK_EQ_INT(bad, 0);
    CHECK(maxv > 0);
    vg_events_free(&ev);
    mt_grid_free(&u);
}

TEST(kde_matches_scipy_reference)
{
    const char *g[] = {"kernel=0", "bandwidth=150", "lookback=200"};
    compare_with_python("kde", g, 3, 0, 150, 200);
    const char *q[] = {"kernel=1", "bandwidth=250", "lookback=365"};
    compare_with_python("kde", q, 3, 1, 250, 365);
}

TEST(prospective_matches_scipy_reference)
{
    compare_with_python("prospective", NULL, 0, 400, 8, 0);
    const char *kv[] = {"bandwidth=300", "weeks=4", "dunit=50"};
    compare_with_python("prospective", kv, 3, 300, 4, 50);
}

TEST(stkde_matches_scipy_reference)
{
    const char *kv[] = {"bandwidth=180", "tau=20"};
    compare_with_python("stkde", kv, 2, 0, 180, 20);
}

/* The same forecast with 1 or 3 threads, and from a store holding only the
 * events before the cut, must be bit-identical. */
TEST(kde_family_deterministic)
{
    const char *models[] = {"naive", "average", "season", "kde", "prospective",
                            "stkde", "etas", "glm"};
    const struct vg_tz *tz = vg_tz_get("Europe/Paris", NULL);
    struct vg_units u;
    struct vg_events ev, early;
    int64_t cut = mt_utc(2018, 6, 1, 0, 0);
    double a[400], b[400], c[400];
    mt_grid(&u, 20, 20, 100, 0, 0);
    random_events(&ev, cut + 90 * 86400, 3000, 7); /* some events after the cut */
    REQUIRE(vg_events_copy_before(&ev, cut, NULL, 0, &early) == VG_OK);
    REQUIRE(early.n < ev.n);
    for (size_t m = 0; m < sizeof models / sizeof models[0]; m++) {
        struct vg_model_input in = mt_input(&ev, &u, tz, cut);
        struct vg_window w = {cut + 3600, cut + 9 * 3600};
        REQUIRE(predict(models[m], NULL, 0, &in, &w, a) == 0);
        in.threads = 3;
        REQUIRE(predict(models[m], NULL, 0, &in, &w, b) == 0);
        in = mt_input(&early, &u, tz, cut);
        REQUIRE(predict(models[m], NULL, 0, &in, &w, c) == 0);
        int same = memcmp(a, b, sizeof a) == 0 && memcmp(a, c, sizeof a) == 0;
        if (!same)
            vg_test_fail(__FILE__, __LINE__, "%s not deterministic", models[m]);
    }
    vg_events_free(&early);
    vg_events_free(&ev);
    mt_grid_free(&u);
}

/* explain() lists events whose weights add up to the forecast of the unit
 * when all of them fit in the list. */
TEST(kde_explain_sums_to_forecast)
{
    const char *models[] = {"kde", "prospective", "stkde"};
    const struct vg_tz *tz = vg_tz_get("UTC", NULL);
    struct vg_units u;
    struct vg_events ev;
    struct vg_diag d;
    int64_t cut = mt_utc(2018, 6, 1, 0, 0);
    mt_grid(&u, 20, 20, 100, 0, 0);
    random_events(&ev, cut, 200, 11);
    for (size_t k = 0; k < 3; k++) {
        const struct vg_model_ops *m = vg_model_find(models[k]);
        double p[VG_MODEL_MAX_PARAMS], out[400];
        void *st = NULL;
        struct vg_contrib c[200];
        struct vg_model_input in = mt_input(&ev, &u, tz, cut);
        struct vg_window w = {cut, cut + 8 * 3600};
        REQUIRE(vg_model_params(m, NULL, 0, p, &d) == VG_OK);
        REQUIRE(m->fit(&in, p, &st, &d) == VG_OK);
        REQUIRE(m->predict(st, &in, &w, out, &d) == VG_OK);
        size_t unit = 9 * 20 + 7; /* near the cluster at (700, 900) */
        size_t n = m->explain(st, &in, &w, unit, c, 200);
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            sum += c[i].weight;
            if (i)
                CHECK(c[i - 1].weight >= c[i].weight);
        }
        CHECK(n > 0 && n < 200);
        CHECK(strstr(c[0].what, "event #") != NULL);
        CHECK_NEAR(sum, out[unit], 1e-12 * out[unit] + 1e-300);
        m->free(st);
    }
    vg_events_free(&ev);
    mt_grid_free(&u);
}

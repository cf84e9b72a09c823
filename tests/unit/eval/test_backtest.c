/*
 * test_backtest.c — the backtest driver with tiny test models: no peeking,
 * thread-count independence, the 4x4 hand case through the whole driver,
 * baseline comparison, error paths and the model-list parser.
 */
#include "../../test.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "eval/backtest.h"
#include "eval/spec.h"
#include "geo/units.h"
#include "report/backtest_json.h"

#define DAY 86400

/* ---- a 4x4 grid of 100 m cells, row 0 cut in half by the boundary ---- */

static double g_cx[16], g_cy[16], g_km2[16];
static int32_t g_cell[16];
static char g_lab[16][8];
static char *g_labp[16];

static struct vg_units grid(void)
{
    struct vg_units u;
    memset(&u, 0, sizeof u);
    u.kind = VG_UNITS_GRID, u.n = 16, u.cell = 100, u.nx = 4, u.ny = 4;
    for (int i = 0; i < 16; i++) {
        g_cx[i] = 50 + 100 * (i % 4), g_cy[i] = 50 + 100 * (i / 4);
        g_km2[i] = i < 4 ? 0.005 : 0.01, g_cell[i] = i;
        snprintf(g_lab[i], sizeof g_lab[i], "r%dc%d", i / 4, i % 4);
        g_labp[i] = g_lab[i];
    }
    u.cx = g_cx, u.cy = g_cy, u.km2 = g_km2, u.cell_unit = g_cell;
    u.label = g_labp;
    return u;
}

static int unit_at(double x, double y)
{
    int c = (int)(x / 100), r = (int)(y / 100);
    return c >= 0 && c < 4 && r >= 0 && r < 4 ? r * 4 + c : -1;
}

/* ---- test models ---- */

static atomic_int g_violations, g_future, g_not_owned, g_calls;
static const int64_t *g_all_t; /* the full array: models must never get it */

static void audit(const struct vg_model_input *in)
{
    atomic_fetch_add(&g_calls, 1);
    if (in->ev->owns != 1 || in->ev->t == g_all_t)
        atomic_fetch_add(&g_not_owned, 1);
    for (size_t i = 0; i < in->ev->n; i++)
        if (in->ev->t[i] >= in->t_cut)
            atomic_fetch_add(&g_violations, 1);
}

static const struct vg_param_def hist_params[] = {
    {"days", 28, 1, 365, "look-back in days"}};

static enum vg_err hist_fit(const struct vg_model_input *in, const double *p,
                            void **state, struct vg_diag *d)
{
    (void)d;
    audit(in);
    double *s = vg_malloc(sizeof *s);
    if (s == NULL)
        return VG_NOMEM;
    *s = p[0];
    *state = s;
    return VG_OK;
}

/* Events per unit over the last `days` days, scaled to the window. */
static enum vg_err hist_predict(const void *state, const struct vg_model_input *in,
                                const struct vg_window *w, double *ex,
                                struct vg_diag *d)
{
    (void)d;
    double days = *(const double *)state;
    audit(in);
    memset(ex, 0, in->units->n * sizeof *ex);
    for (size_t i = 0; i < in->ev->n; i++) {
        int u = unit_at(in->ev->x[i], in->ev->y[i]);
        if (u >= 0 && in->ev->t[i] >= w->start - (int64_t)(days * DAY))
            ex[u] += 1;
    }
    double scale = (double)(w->end - w->start) / (days * DAY);
    for (size_t u = 0; u < in->units->n; u++)
        ex[u] *= scale;
    return VG_OK;
}

/* The cheat: predicts the window's own events if it can find them. */
static enum vg_err peek_predict(const void *state, const struct vg_model_input *in,
                                const struct vg_window *w, double *ex,
                                struct vg_diag *d)
{
    (void)state, (void)d;
    audit(in);
    memset(ex, 0, in->units->n * sizeof *ex);
    for (size_t i = 0; i < in->ev->n; i++)
        if (in->ev->t[i] >= w->start && in->ev->t[i] < w->end) {
            int u = unit_at(in->ev->x[i], in->ev->y[i]);
            if (u >= 0)
                ex[u] += 1;
            atomic_fetch_add(&g_future, 1);
        }
    return VG_OK;
}

/* Returns the fixed 4x4 forecast of test_metrics.c. */
static const double lam16[16] = {0.1, 0.4, 0.2, 0.0, 0.3, 1.2, 0.8, 0.1,
                                 0.2, 0.9, 0.6, 0.3, 0.0, 0.1, 0.4, 0.5};
static enum vg_err fixed_predict(const void *state, const struct vg_model_input *in,
                                 const struct vg_window *w, double *ex,
                                 struct vg_diag *d)
{
    (void)state, (void)w, (void)d;
    memcpy(ex, lam16, in->units->n * sizeof *ex);
    return VG_OK;
}

/* Fails on the third window it sees after 1970-03-10, or returns -1. */
static const struct vg_param_def bad_params[] = {
    {"mode", 0, 0, 1, "0 = fail, 1 = negative"}};
static enum vg_err bad_predict(const void *state, const struct vg_model_input *in,
                               const struct vg_window *w, double *ex,
                               struct vg_diag *d)
{
    double mode = *(const double *)state;
    for (size_t u = 0; u < in->units->n; u++)
        ex[u] = 0.1;
    if (w->start >= 70 * DAY && mode == 0)
        return vg_fail(d, VG_MODEL, "", 0, 0, "matrix is singular");
    if (w->start >= 70 * DAY)
        ex[3] = -1;
    return VG_OK;
}

static void free_state(void *s) { vg_free(s); }

#define MODEL(nm, prm, pred)                                                  \
    {nm, "test model", "", prm, sizeof prm / sizeof prm[0], hist_fit, pred,    \
     NULL, NULL, free_state}
static const struct vg_model_ops m_hist = MODEL("hist", hist_params, hist_predict);
static const struct vg_model_ops m_peek = MODEL("peek", hist_params, peek_predict);
static const struct vg_model_ops m_fixed = MODEL("fixed", hist_params, fixed_predict);
static const struct vg_model_ops m_bad = MODEL("bad", bad_params, bad_predict);

static const struct vg_model_ops *find(const char *name)
{
    const struct vg_model_ops *all[] = {&m_hist, &m_peek, &m_fixed, &m_bad};
    for (size_t i = 0; i < 4; i++)
        if (strcmp(all[i]->name, name) == 0)
            return all[i];
    return NULL;
}

/* ---- data: 90 days of events, concentrated in a few cells ---- */

static uint64_t lcg;
static double unif(void)
{
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg >> 11) * 0x1p-53;
}

static void make_events(struct vg_events *ev)
{
    static const double weight[16] = {1, 1, 0, 0, 1, 6, 3, 0,
                                      1, 4, 2, 1, 0, 1, 1, 2};
    lcg = 11;
    vg_events_init(ev);
    for (int k = 0; k < 2400; k++) {
        double r = unif() * 24, acc = 0;
        int u = 0;
        while (u < 15 && (acc += weight[u]) <= r)
            u++;
        int64_t t = (int64_t)(unif() * 90 * DAY);
        double x = 100 * (u % 4) + 100 * unif(), y = 100 * (u / 4) + 100 * unif();
        vg_events_push(ev, k, t, t, x, y, 0, 0, k % 3 == 0 ? 1 : 0, -1, 0, 0);
    }
    /* one event outside the grid */
    vg_events_push(ev, 9999, 75 * DAY + 22 * 3600, 75 * DAY + 22 * 3600, -50,
                   -50, 0, 0, 0, -1, 0, 0);
    vg_events_sort(ev);
    g_all_t = ev->t;
}

/* Nights 20:00–03:30 UTC of days first..last. */
static void nights(struct vg_bt_window *w, int first, int last)
{
    for (int d = first; d <= last; d++) {
        w[d - first].start = (int64_t)d * DAY + 20 * 3600;
        w[d - first].end = w[d - first].start + 7 * 3600 + 1800;
        w[d - first].day = d;
    }
}

static enum vg_err run(const char *spec, int baselines_too, int threads,
                       enum vg_refit refit, struct vg_backtest_result *r,
                       struct vg_diag *d)
{
    static struct vg_bt_window win[30];
    struct vg_events ev;
    struct vg_units u = grid();
    struct vg_spec_model *models = NULL;
    size_t nm = 0;
    make_events(&ev);
    nights(win, 60, 89);
    enum vg_err e = vg_spec_parse(spec, find, 0, &models, &nm, d);
    if (e == VG_OK && baselines_too)
        e = vg_spec_parse("hist:days=7,hist:days=28", find, 1, &models, &nm, d);
    static struct vg_units ustat;
    ustat = u;
    if (e == VG_OK) {
        struct vg_backtest_config c;
        vg_backtest_config_init(&c);
        c.models = models, c.nmodels = nm, c.win = win, c.nwin = 30;
        c.threads = threads, c.refit = refit, c.boot_reps = 500;
        c.nij_km2 = 0.02;
        e = vg_backtest_run(&c, &ev, &ustat, r, d);
    }
    vg_free(models);
    vg_events_free(&ev);
    return e;
}

TEST(backtest_no_peeking)
{
    struct vg_backtest_result r;
    struct vg_diag d;
    atomic_store(&g_violations, 0), atomic_store(&g_future, 0);
    atomic_store(&g_not_owned, 0), atomic_store(&g_calls, 0);
    REQUIRE(run("hist,peek", 0, 2, VG_REFIT_WEEKLY, &r, &d) == VG_OK);
    CHECK(atomic_load(&g_calls) > 60);
    CHECK_EQ_INT(atomic_load(&g_violations), 0);
    CHECK_EQ_INT(atomic_load(&g_not_owned), 0);
    CHECK_EQ_INT(atomic_load(&g_future), 0);
    size_t p = vg_backtest_find(&r, "peek");
    REQUIRE(p < r.nmodels);
    CHECK(r.sum[p].events > 100);
    CHECK(r.sum[p].expected == 0); /* found nothing to copy */
    /* Control: handed the full array, the same cheat finds the window's
     * events and would score a perfect PEI, so the check above can fail. */
    struct vg_events ev;
    struct vg_units u = grid();
    make_events(&ev);
    struct vg_model_input in = {&ev, &u, NULL, NULL, NULL, 80 * DAY, 1};
    struct vg_window w = {80 * DAY + 20 * 3600, 81 * DAY + 3 * 3600 + 1800};
    double ex[16];
    REQUIRE(peek_predict(NULL, &in, &w, ex, NULL) == VG_OK);
    CHECK(atomic_load(&g_future) > 0);
    vg_events_free(&ev);
    vg_backtest_result_free(&r);
}

static char *json_of(int threads, enum vg_refit refit)
{
    struct vg_backtest_result r;
    struct vg_buf b;
    vg_buf_init(&b, 0);
    if (run("hist:days=14,hist:days=3,fixed", 1, threads, refit, &r, NULL) != VG_OK)
        return NULL;
    vg_backtest_json(&r, &b);
    vg_backtest_result_free(&r);
    return b.p;
}

TEST(backtest_threads_bit_identical)
{
    for (int refit = 0; refit < 3; refit++) {
        char *j1 = json_of(1, (enum vg_refit)refit);
        char *j2 = json_of(2, (enum vg_refit)refit);
        char *j4 = json_of(4, (enum vg_refit)refit);
        REQUIRE(j1 && j2 && j4);
        CHECK(strlen(j1) > 1000);
        CHECK(strcmp(j1, j2) == 0);
        CHECK(strcmp(j1, j4) == 0);
        vg_free(j1), vg_free(j2), vg_free(j4);
    }
}

/* The 4x4 hand case of test_metrics.c through the whole driver: one night,
 * the fixed forecast, 8 events placed as in the hand example. */
TEST(backtest_hand_case_through_driver)
{
    static const int cnt[16] = {0, 1, 0, 1, 0, 2, 0, 0, 1, 0, 1, 0, 0, 0, 2, 0};
    struct vg_events ev;
    struct vg_units u = grid();
    for (int i = 0; i < 16; i++)
        g_km2[i] = (i < 4 ? 0.5 : 1.0);
    vg_events_init(&ev);
    int64_t t0 = 10 * DAY + 20 * 3600;
    for (int i = 0, k = 0; i < 16; i++)
        for (int j = 0; j < cnt[i]; j++, k++)
            vg_events_push(&ev, k, t0 + 60 * k, t0 + 60 * k, 100 * (i % 4) + 10,
                           100 * (i / 4) + 10, 0, 0, 0, -1, 0, 0);
    vg_events_push(&ev, 99, t0 - 5, t0 - 5, 10, 10, 0, 0, 0, -1, 0, 0); /* before */
    vg_events_sort(&ev);
    struct vg_bt_window w = {t0, t0 + 7 * 3600, 10};
    struct vg_spec_model *models = NULL;
    size_t nm = 0;
    REQUIRE(vg_spec_parse("fixed", find, 0, &models, &nm, NULL) == VG_OK);
    struct vg_backtest_config c;
    vg_backtest_config_init(&c);
    c.models = models, c.nmodels = nm, c.win = &w, c.nwin = 1;
    c.cover[0] = 10, c.cover[1] = 25, c.ncover = 2, c.primary = 10;
    c.nij_km2 = 2.25;
    struct vg_backtest_result r;
    struct vg_diag d;
    REQUIRE(vg_backtest_run(&c, &ev, &u, &r, &d) == VG_OK);
    CHECK_NEAR(r.total_km2, 14, 1e-12);
    CHECK_NEAR(r.sum[0].events, 8, 0);
    CHECK_NEAR(r.sum[0].hit_rate[0], 0.25, 1e-12);
    CHECK_NEAR(r.sum[0].pai[0], 2.5, 1e-12);
    CHECK_NEAR(r.sum[0].pei[0], 2.0 / 2.8, 1e-12);
    CHECK_NEAR(r.sum[0].pai[1], 1.5, 1e-12);
    CHECK_NEAR(r.sum[0].pei[1], 3.0 / 6.5, 1e-12);
    CHECK_NEAR(r.sum[0].nij_pai, 0.3125 * 14 / 2.25, 1e-12);
    CHECK_NEAR(r.sum[0].nij_pei, 2.5 / 4.5, 1e-12);
    CHECK_NEAR(r.sum[0].brier, 0.24784269375484488, 1e-12);
    CHECK_NEAR(r.sum[0].loglik, -2.1885398693309375, 1e-12);
    CHECK_NEAR(r.sum[0].cal.pred[0], 2.1, 1e-12);
    CHECK_NEAR(r.sum[0].curve[VG_BT_CURVE - 1], 1.0, 1e-12); /* 100 % area */
    CHECK(r.best_baseline == SIZE_MAX && !r.sum[0].has_vs);
    vg_backtest_result_free(&r);
    vg_free(models);
    vg_events_free(&ev);
}

TEST(backtest_vs_best_baseline)
{
    struct vg_backtest_result r;
    REQUIRE(run("hist:days=60", 1, 2, VG_REFIT_MONTHLY, &r, NULL) == VG_OK);
    size_t b7 = vg_backtest_find(&r, "hist:days=7");
    size_t b28 = vg_backtest_find(&r, "hist:days=28"), m = vg_backtest_find(&r, "hist:days=60");
    REQUIRE(b7 < r.nmodels && b28 < r.nmodels && m < r.nmodels);
    CHECK(r.models[b28].baseline && r.models[b7].baseline && !r.models[m].baseline);
    size_t ip = r.iprimary, bb = r.best_baseline;
    CHECK(bb == (r.sum[b7].pai[ip] >= r.sum[b28].pai[ip] ? b7 : b28));
    CHECK(!r.sum[bb].has_vs);
    CHECK(r.sum[m].has_vs && r.sum[m].vs_baseline == bb);
    CHECK_NEAR(r.sum[m].vs.est, r.sum[m].pai[ip] - r.sum[bb].pai[ip], 1e-9);
    CHECK_NEAR(r.sum[m].vs.rel, r.sum[m].pai[ip] / r.sum[bb].pai[ip] - 1, 1e-9);
    CHECK(r.sum[m].vs.lo <= r.sum[m].vs.est && r.sum[m].vs.est <= r.sum[m].vs.hi);
    CHECK_EQ_INT(r.unlocated, 1);
    for (size_t k = 0; k < r.ncover; k++)
        CHECK(r.sum[m].stability[k] > 0.3 && r.sum[m].stability[k] <= 1.0 + 1e-12);
    vg_backtest_result_free(&r);
}

TEST(backtest_model_errors_are_reported)
{
    struct vg_backtest_result r;
    struct vg_diag d;
    vg_diag_clear(&d);
    CHECK(run("hist,bad", 0, 2, VG_REFIT_DAILY, &r, &d) == VG_MODEL);
    CHECK(strstr(d.msg, "\"bad\"") && strstr(d.msg, "window 11") &&
          strstr(d.msg, "singular"));
    CHECK(r.score == NULL);
    CHECK(run("bad:mode=1", 0, 4, VG_REFIT_WEEKLY, &r, &d) == VG_MODEL);
    CHECK(strstr(d.msg, "expected=-1") && strstr(d.msg, "r0c3"));
}

TEST(backtest_spec_parser)
{
    struct vg_spec_model *m = NULL;
    size_t n = 0;
    struct vg_diag d;
    REQUIRE(vg_spec_parse("hist:days=7,peek,,hist", find, 0, &m, &n, &d) == VG_OK);
    REQUIRE(n == 3);
    CHECK_STR(m[0].name, "hist:days=7");
    CHECK(m[0].params[0] == 7 && m[2].params[0] == 28);
    CHECK_STR(m[1].name, "peek");
    /* a baseline identical to a listed model is merged into it */
    REQUIRE(vg_spec_parse("hist:days=28,hist:days=3", find, 1, &m, &n, &d) == VG_OK);
    CHECK_EQ_INT(n, 4);
    CHECK(m[2].baseline == 1 && m[0].baseline == 0 && m[3].baseline == 1);
    CHECK(vg_spec_parse("knn", find, 0, &m, &n, &d) == VG_USAGE);
    CHECK(strstr(d.msg, "unknown model \"knn\""));
    CHECK(vg_spec_parse("hist:bandwidth=3", find, 0, &m, &n, &d) == VG_USAGE);
    CHECK(strstr(d.msg, "no parameter \"bandwidth\"") && strstr(d.msg, "days"));
    CHECK(vg_spec_parse("hist:days=0", find, 0, &m, &n, &d) == VG_RANGE);
    CHECK(vg_spec_parse("hist:days=abc", find, 0, &m, &n, &d) == VG_USAGE);
    CHECK(vg_spec_parse("hist:days", find, 0, &m, &n, &d) == VG_USAGE);
    CHECK_EQ_INT(n, 4);
    char big[VG_SPEC_MAX_LEN + 10];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    CHECK(vg_spec_parse(big, find, 0, &m, &n, &d) == VG_LIMIT);
    vg_free(m);
}

/* ---- tune: validation days 60-74, test days 75-89 ---- */

#include "eval/tune.h"

static enum vg_err tune(const char *const *axes, size_t naxes, size_t random,
                        int test_first, struct vg_tune_result *r,
                        struct vg_diag *d)
{
    static struct vg_bt_window win[30];
    struct vg_events ev;
    static struct vg_units u;
    struct vg_spec_model *base = NULL;
    size_t nb = 0;
    u = grid();
    make_events(&ev);
    nights(win, 60, 89);
    vg_spec_parse("hist:days=7,hist:days=28", find, 1, &base, &nb, d);
    struct vg_tune_config c;
    memset(&c, 0, sizeof c);
    vg_backtest_config_init(&c.bt);
    c.ops = &m_hist, c.axes = axes, c.naxes = naxes, c.random = random;
    c.seed = 3, c.bt.win = win, c.bt.nwin = 15, c.bt.threads = 2;
    c.bt.boot_reps = 200;
    c.test = win + test_first, c.ntest = (size_t)(30 - test_first);
    c.baselines = base, c.nbaselines = nb;
    enum vg_err e = vg_tune_run(&c, &ev, &u, r, d);
    vg_free(base);
    vg_events_free(&ev);
    return e;
}

TEST(tune_grid_records_every_setting)
{
    const char *axes[] = {"days=3|7|14|28|60"};
    struct vg_tune_result r;
    struct vg_diag d;
    REQUIRE(tune(axes, 1, 0, 15, &r, &d) == VG_OK);
    REQUIRE(r.ntrial == 5);
    CHECK_STR(r.trial[0].model.name, "hist:days=3");
    CHECK_STR(r.trial[4].model.name, "hist:days=60");
    for (size_t i = 0; i < 5; i++) {
        CHECK(r.trial[i].pai > 0 && isfinite(r.trial[i].loglik));
        CHECK(r.trial[i].pai <= r.trial[r.best].pai);
    }
    REQUIRE(r.has_test);
    CHECK_EQ_INT(r.test.nwin, 15);
    CHECK_STR(r.test.models[0].name, r.trial[r.best].model.name);
    CHECK(r.test.win[0].day == 75);
    CHECK(r.test.best_baseline == 1 || r.test.best_baseline == 2);
    vg_tune_result_free(&r);
}

TEST(tune_random_and_refusals)
{
    const char *range[] = {"days=2..40"}, *bad[] = {"width=1|2"};
    struct vg_tune_result r, r2;
    struct vg_diag d;
    REQUIRE(tune(range, 1, 6, 15, &r, &d) == VG_OK);
    REQUIRE(tune(range, 1, 6, 15, &r2, &d) == VG_OK);
    REQUIRE(r.ntrial == 6);
    for (size_t i = 0; i < 6; i++) {
        double v = r.trial[i].model.params[0];
        CHECK(v >= 2 && v <= 40 && v == floor(v));
        CHECK(v == r2.trial[i].model.params[0]); /* seeded */
    }
    vg_tune_result_free(&r), vg_tune_result_free(&r2);
    CHECK(tune(range, 1, 0, 15, &r, &d) == VG_USAGE);  /* range in a grid */
    CHECK(strstr(d.msg, "random"));
    CHECK(tune(bad, 1, 0, 15, &r, &d) == VG_USAGE);
    CHECK(strstr(d.msg, "width"));
    CHECK(tune(range, 1, 6, 10, &r, &d) == VG_USAGE);  /* test overlaps */
    CHECK(strstr(d.msg, "after the validation"));
}

/* ---- writers ---- */

#include <jansson.h>

#include "eval/gate.h"
#include "report/backtest_html.h"
#include "report/backtest_table.h"

TEST(backtest_json_parses_with_required_fields)
{
    struct vg_backtest_result r;
    struct vg_buf b;
    vg_buf_init(&b, 0);
    REQUIRE(run("hist:days=14", 1, 2, VG_REFIT_WEEKLY, &r, NULL) == VG_OK);
    REQUIRE(vg_backtest_json(&r, &b) == VG_OK);
    json_error_t err;
    json_t *root = json_loads(b.p, 0, &err);
    REQUIRE(root != NULL);
    json_t *models = json_object_get(root, "models");
    REQUIRE(json_array_size(models) == 3);
    json_t *m0 = json_array_get(models, 0);
    CHECK_STR(json_string_value(json_object_get(m0, "name")), "hist:days=14");
    CHECK_EQ_INT(json_integer_value(json_object_get(m0, "windows")), 30);
    const char *keys[] = {"hit_rate", "pai", "pei", "stability"};
    for (size_t k = 0; k < 4; k++) {
        json_t *o = json_object_get(m0, keys[k]);
        CHECK(json_is_number(json_object_get(o, "5")));
        CHECK(json_is_number(json_object_get(o, "20")));
    }
    CHECK_NEAR(json_number_value(json_object_get(json_object_get(m0, "pai"), "5")),
               r.sum[0].pai[2], 0);
    CHECK(json_is_number(json_object_get(m0, "brier")));
    CHECK(json_is_number(json_object_get(m0, "loglik")));
    json_t *vs = json_object_get(m0, "vs_baseline");
    CHECK(json_is_string(json_object_get(vs, "baseline")));
    const char *vk[] = {"delta_pai", "ci_low", "ci_high"};
    for (size_t k = 0; k < 3; k++)
        CHECK(json_is_number(json_object_get(vs, vk[k])));
    CHECK(json_is_string(json_object_get(root, "best_baseline")));
    json_decref(root);
    vg_buf_free(&b);
    vg_backtest_result_free(&r);
}

TEST(backtest_html_and_table_self_contained)
{
    struct vg_backtest_result r;
    struct vg_buf h, t;
    vg_buf_init(&h, 0), vg_buf_init(&t, 0);
    REQUIRE(run("hist:days=14,fixed", 1, 2, VG_REFIT_WEEKLY, &r, NULL) == VG_OK);
    struct vg_gate_verdict v;
    REQUIRE(vg_gate_decide(&r, 0, NULL, &v, NULL) == VG_OK);
    struct vg_html_opts o = {NULL, "assaults <test>", "Testville", "night", &v};
    REQUIRE(vg_backtest_html(&r, &o, &h) == VG_OK);
    REQUIRE(vg_backtest_table(&r, &t) == VG_OK);
    CHECK(strncmp(h.p, "<!DOCTYPE html>", 15) == 0);
    CHECK(strstr(h.p, "In short") && strstr(h.p, "<svg") && strstr(h.p, "<polyline"));
    CHECK(strstr(h.p, "assaults &lt;test&gt;") && !strstr(h.p, "<test>"));
    CHECK(strstr(h.p, "Publication check"));
    CHECK(!strstr(h.p, "http") && !strstr(h.p, "<script") && !strstr(h.p, "src="));
    CHECK(strstr(h.p, "</html>"));
    /* the summary comes before the tables */
    CHECK(strstr(h.p, "In short") < strstr(h.p, "Results by method"));
    CHECK(strstr(t.p, "hist:days=14") && strstr(t.p, "hist:days=28 *") &&
          strstr(t.p, "PAI@5"));
    vg_buf_free(&h), vg_buf_free(&t);
    vg_backtest_result_free(&r);
}

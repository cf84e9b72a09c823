/* Tests of the registry, parameter parsing and the baselines (naive.c). */
#include "../../test.h"
#include "mtest.h"

TEST(model_registry_and_params)
{
    struct vg_diag d;
    double p[VG_MODEL_MAX_PARAMS];
    const char *names[] = {"naive", "average", "season", "kde", "prospective",
                           "stkde", "etas", "glm"};
    CHECK_EQ_INT(vg_model_count(), 8);
    for (size_t i = 0; i < 8; i++) {
        const struct vg_model_ops *m = vg_model_find(names[i]);
        REQUIRE(m != NULL);
        CHECK(m == vg_model_at(i));
        CHECK(m->nparams <= VG_MODEL_MAX_PARAMS);
        for (size_t j = 0; j < m->nparams; j++) {
            CHECK(m->params[j].min <= m->params[j].def);
            CHECK(m->params[j].def <= m->params[j].max);
            CHECK(m->params[j].help && m->params[j].help[0]);
        }
    }
    CHECK(vg_model_find("nope") == NULL);
    const struct vg_model_ops *kde = vg_model_find("kde");
    const char *ok[] = {"bandwidth=150", "kernel=1"};
    REQUIRE(vg_model_params(kde, ok, 2, p, &d) == VG_OK);
    CHECK_NEAR(p[0], 1, 0);
    CHECK_NEAR(p[1], 150, 0);
    CHECK_NEAR(p[2], 365, 0);
    const char *bad1[] = {"bandwith=150"};
    CHECK(vg_model_params(kde, bad1, 1, p, &d) == VG_USAGE);
    CHECK(strstr(d.msg, "bandwith") != NULL);
    const char *bad2[] = {"bandwidth=1e9"};
    CHECK(vg_model_params(kde, bad2, 1, p, &d) == VG_RANGE);
    const char *bad3[] = {"bandwidth=12x"};
    CHECK(vg_model_params(kde, bad3, 1, p, &d) == VG_USAGE);
}

static double run(const char *name, const char *kv, const struct vg_model_input *in,
                  const struct vg_window *w, double *out)
{
    const struct vg_model_ops *m = vg_model_find(name);
    double p[VG_MODEL_MAX_PARAMS];
    void *st = NULL;
    struct vg_diag d;
    const char *kvs[1] = {kv};
    if (vg_model_params(m, kvs, kv ? 1 : 0, p, &d) || m->fit(in, p, &st, &d) ||
        m->predict(st, in, w, out, &d))
        return -1;
    m->free(st);
    return 0;
}

TEST(naive_hand_worked)
{
    const struct vg_tz *tz = vg_tz_get("UTC", NULL);
    struct vg_units u;
    struct vg_events ev;
    double out[9];
    mt_grid(&u, 3, 3, 100, 0, 0);
    vg_events_init(&ev);
    int64_t cut = mt_utc(2018, 6, 1, 0, 0);
    mt_push(&ev, 1, cut - 400 * 86400, 50, 50);      /* old, cell 0 */
    mt_push(&ev, 2, cut - 364 * 86400 + 3600, 250, 250); /* a year ago, cell 8 */
    for (int i = 0; i < 4; i++)
        mt_push(&ev, 10 + i, cut - (i * 5 + 1) * 86400, 10 + i, 20); /* cell 0 */
    mt_push(&ev, 20, cut - 3600, 150, 50);           /* cell 1 */
    mt_push(&ev, 21, cut - 3600, 999, 50);           /* outside */
    vg_events_sort(&ev);
    struct vg_model_input in = mt_input(&ev, &u, tz, cut);
    struct vg_window w = {cut, cut + 7 * 86400}; /* a whole week: share 1 */
    REQUIRE(run("naive", NULL, &in, &w, out) == 0);
    CHECK_NEAR(out[0], 4.0 / 28 * 7, 1e-12);
    CHECK_NEAR(out[1], 1.0 / 28 * 7, 1e-12);
    CHECK_NEAR(out[8], 0, 0);
    REQUIRE(run("naive", "days=7", &in, &w, out) == 0);
    CHECK_NEAR(out[0], 2.0, 1e-12); /* events 1 and 6 days old */
    /* average: history spans 400 days */
    REQUIRE(run("average", NULL, &in, &w, out) == 0);
    CHECK_NEAR(out[0], 5.0 / 400 * 7, 1e-12);
    CHECK_NEAR(out[8], 1.0 / 400 * 7, 1e-12);
    /* season: 52 weeks before the window start ± 2 weeks: only event 2 */
    REQUIRE(run("season", NULL, &in, &w, out) == 0);
    CHECK_NEAR(out[8], 1.0 / 28 * 7, 1e-12);
    CHECK_NEAR(out[0], 0, 0);
    /* a window later than the cut does not see more data, and stays scaled */
    struct vg_window w2 = {cut + 7 * 86400, cut + 14 * 86400};
    REQUIRE(run("naive", NULL, &in, &w2, out) == 0);
    CHECK_NEAR(out[0], 1.0, 1e-12);
    vg_events_free(&ev);
    mt_grid_free(&u);
}

TEST(naive_explain_counts)
{
    const struct vg_tz *tz = vg_tz_get("UTC", NULL);
    struct vg_units u;
    struct vg_events ev;
    struct vg_diag d;
    mt_grid(&u, 2, 1, 100, 0, 0);
    vg_events_init(&ev);
    int64_t cut = mt_utc(2018, 6, 1, 0, 0);
    for (int i = 0; i < 3; i++)
        mt_push(&ev, i, cut - (i + 1) * 86400, 10, 10);
    mt_push(&ev, 9, cut - 100 * 86400, 150, 10); /* history longer than 28 d */
    vg_events_sort(&ev);
    struct vg_model_input in = mt_input(&ev, &u, tz, cut);
    const struct vg_model_ops *m = vg_model_find("naive");
    double p[4];
    void *st = NULL;
    REQUIRE(vg_model_params(m, NULL, 0, p, &d) == VG_OK);
    REQUIRE(m->fit(&in, p, &st, &d) == VG_OK);
    struct vg_window w = {cut, cut + 7 * 86400};
    struct vg_contrib c[4];
    size_t n = m->explain(st, &in, &w, 0, c, 4);
    CHECK_EQ_INT(n, 1);
    CHECK(strstr(c[0].what, "3 events") != NULL);
    CHECK_NEAR(c[0].weight, 3.0 / 28 * 7, 1e-12);
    m->free(st);
    vg_events_free(&ev);
    mt_grid_free(&u);
}

/* Every model's fit/predict/explain with each allocation failing in turn:
 * errors are reported (VG_NOMEM or a clean result), nothing leaks (ASan),
 * and the state pointer stays NULL after a failed fit. */
#include "../../test.h"
#include "model/simulate.h"
#include "mtest.h"

TEST(model_alloc_failures)
{
    struct vg_units u;
    struct vg_events ev;
    struct vg_diag d;
    const struct vg_tz *tz = vg_tz_get("UTC", NULL);
    double mu[36], out[36];
    for (int i = 0; i < 36; i++)
        mu[i] = 0.02 + 0.01 * (i % 3);
    mt_grid(&u, 6, 6, 100, 0, 0);
    vg_events_init(&ev);
    REQUIRE(vg_simulate_etas(&u, mu, 0.3, 0.5, 500, 0, 5, 100000, &ev, &d) == VG_OK);
    int64_t cut = 450 * 86400;
    struct vg_model_input in = mt_input(&ev, &u, tz, cut);
    struct vg_window w = {cut + 3600, cut + 9 * 3600};
    for (size_t m = 0; m < vg_model_count(); m++) {
        const struct vg_model_ops *mo = vg_model_at(m);
        double p[VG_MODEL_MAX_PARAMS];
        REQUIRE(vg_model_params(mo, NULL, 0, p, &d) == VG_OK);
        int clean = 0;
        for (size_t k = 0; k < 400 && !clean; k++) {
            void *st = NULL;
            struct vg_contrib c[4];
            vg_alloc_fail_after(k);
            enum vg_err e = mo->fit(&in, p, &st, &d);
            if (e == VG_OK) {
                e = mo->predict(st, &in, &w, out, &d);
                mo->explain(st, &in, &w, 3, c, 4);
                mo->free(st);
                clean = e == VG_OK;
            } else {
                CHECK(st == NULL);
            }
            vg_alloc_fail_after((size_t)-1);
            if (e != VG_OK && e != VG_NOMEM)
                vg_test_fail(__FILE__, __LINE__, "%s: error %d at k=%zu: %s", mo->name,
                             (int)e, k, d.msg);
        }
        if (!clean)
            vg_test_fail(__FILE__, __LINE__, "%s never succeeded", mo->name);
    }
    vg_events_free(&ev);
    mt_grid_free(&u);
}

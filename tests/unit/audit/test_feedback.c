/*
 * test_feedback.c — the Ensign correction weights, the deterministic
 * thinning, the concentration statistics (hand-computed) and a small
 * synthetic feedback loop that the correction must break.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audit/feedback.h"
#include "base/alloc.h"
#include "../../test.h"
#include "../model/mtest.h"

TEST(feedback_weight_rule)
{
    double pref = 1.0 / 28;
    CHECK_NEAR(vg_fb_weight(VG_FB_NONE, VG_ORIGIN_DISCOVERED, 0.5, pref), 1, 0);
    CHECK_NEAR(vg_fb_weight(VG_FB_ENSIGN, VG_ORIGIN_REPORTED, 0.5, pref), 1, 0);
    CHECK_NEAR(vg_fb_weight(VG_FB_ENSIGN, VG_ORIGIN_CAMERA, 0.5, pref), 1, 0);
    CHECK_NEAR(vg_fb_weight(VG_FB_ENSIGN, VG_ORIGIN_DISCOVERED, 0.5, pref), 1.0 / 14, 1e-15);
    CHECK_NEAR(vg_fb_weight(VG_FB_ENSIGN, VG_ORIGIN_DISCOVERED, 1.0, pref), 1.0 / 28, 1e-15);
    CHECK_NEAR(vg_fb_weight(VG_FB_ENSIGN, VG_ORIGIN_DISCOVERED, pref, pref), 1, 1e-15);
    CHECK_NEAR(vg_fb_weight(VG_FB_ENSIGN, VG_ORIGIN_DISCOVERED, 0, pref), 1, 0);
    enum vg_fb_corr c;
    struct vg_diag d;
    CHECK(vg_fb_corr_parse("ensign", &c, &d) == VG_OK && c == VG_FB_ENSIGN);
    CHECK(vg_fb_corr_parse("ipw", &c, &d) == VG_USAGE);
}

/* 20000 discovered events at patrol share 0.25 with p_ref 0.05 are each
 * kept with probability 0.2: 4000 expected, sd sqrt(20000*.2*.8) = 56.6.
 * 1000 reported events are all kept.  Same seed → same decisions. */
TEST(feedback_apply_thins_discovered)
{
    struct vg_events ev, out, out2;
    struct vg_diag d;
    size_t n = 21000, dropped = 0, dropped2 = 0;
    double *p = vg_calloc(n, sizeof *p);
    REQUIRE(p != NULL);
    vg_events_init(&ev);
    for (size_t k = 0; k < n; k++) {
        uint8_t o = k < 1000 ? VG_ORIGIN_REPORTED : VG_ORIGIN_DISCOVERED;
        REQUIRE(vg_events_push(&ev, (int64_t)k + 1, (int64_t)k, (int64_t)k, 0, 0, 0, 0, 0, -1, 0,
                               o) == VG_OK);
        p[k] = 0.25;
    }
    REQUIRE(vg_fb_apply(&ev, p, VG_FB_ENSIGN, 0.05, 42, &out, &dropped, &d) == VG_OK);
    size_t rep = 0;
    for (size_t k = 0; k < out.n; k++)
        rep += out.origin[k] == VG_ORIGIN_REPORTED;
    CHECK_EQ_INT(rep, 1000);
    CHECK_EQ_INT(out.n + dropped, n);
    double kept = (double)(out.n - rep);
    CHECK(fabs(kept - 4000) < 4 * 56.6);
    for (size_t k = 1; k < out.n; k++)
        CHECK(out.t[k] > out.t[k - 1]); /* order kept */
    REQUIRE(vg_fb_apply(&ev, p, VG_FB_ENSIGN, 0.05, 42, &out2, &dropped2, &d) == VG_OK);
    CHECK_EQ_INT(dropped2, dropped);
    CHECK(out2.n == out.n && memcmp(out.id, out2.id, out.n * sizeof *out.id) == 0);
    vg_events_free(&out2);
    REQUIRE(vg_fb_apply(&ev, NULL, VG_FB_NONE, 0.05, 42, &out2, &dropped2, &d) == VG_OK);
    CHECK_EQ_INT(out2.n, n);
    CHECK_EQ_INT(dropped2, 0);
    vg_events_free(&out2);
    CHECK(vg_fb_apply(&ev, NULL, VG_FB_ENSIGN, 0.05, 42, &out2, NULL, &d) == VG_USAGE);
    vg_events_free(&out);
    vg_events_free(&out2);
    vg_events_free(&ev);
    vg_free(p);
}

/* Gini: {0,0,0,4} → Σ(2i-n-1)x_(i) / (n Σx) = 3·4 / 16 = 0.75;
 * {1,2,3,4} → mean absolute difference 20/16 over 2·mean 5 = 0.25.
 * Top 1 %: n = 100 → the largest 1 entry; n = 150 → ceil(1.5) = 2 entries.
 * TV({1,1,0,0}, {0,1,1,0}) = (0.5 + 0 + 0.5 + 0) / 2 = 0.5. */
TEST(feedback_concentration_stats)
{
    double s[200], x[200];
    const double a[4] = {0, 0, 0, 4}, b[4] = {1, 2, 3, 4}, c[4] = {1, 1, 1, 1};
    CHECK_NEAR(vg_fb_gini(a, 4, s), 0.75, 1e-12);
    CHECK_NEAR(vg_fb_gini(b, 4, s), 0.25, 1e-12);
    CHECK_NEAR(vg_fb_gini(c, 4, s), 0, 1e-12);
    for (size_t i = 0; i < 150; i++)
        x[i] = 1;
    x[7] = 5;
    CHECK_NEAR(vg_fb_top_share(x, 100, 0.01, s), 5.0 / 104, 1e-12);
    x[100] = 3;
    CHECK_NEAR(vg_fb_top_share(x, 150, 0.01, s), 8.0 / 156, 1e-12);
    const double p[4] = {1, 1, 0, 0}, q[4] = {0, 1, 1, 0}, z[4] = {0};
    CHECK_NEAR(vg_fb_tv(p, q, 4), 0.5, 1e-12);
    CHECK_NEAR(vg_fb_tv(p, p, 4), 0, 1e-12);
    CHECK_NEAR(vg_fb_tv(p, z, 4), 1, 0);
    CHECK_NEAR(vg_fb_uniform(1, 2, 3), vg_fb_uniform(1, 2, 3), 0);
    CHECK(vg_fb_uniform(1, 2, 3) != vg_fb_uniform(1, 2, 4));
}

/* Four cells with the same true rate (one event per cell per day); one
 * patrol a day; 10 % of events reported, every unreported event in the
 * patrolled cell discovered.  Without correction the first patrolled cell
 * collects ~0.9 events a day against ~0.1 elsewhere and keeps every patrol
 * (top-1 share near 1); with the correction its discoveries are thinned to
 * about 1/28 a day, below the reported rate, and patrols rotate. */
TEST(feedback_simulator_breaks_loop)
{
    struct vg_units u;
    struct vg_events truth;
    struct vg_diag d;
    const struct vg_tz *tz = vg_tz_get("UTC", &d);
    REQUIRE(tz != NULL);
    mt_grid(&u, 2, 2, 100, 0, 0);
    double km2[4] = {0.01, 0.01, 0.01, 0.01};
    u.km2 = km2;
    vg_events_init(&truth);
    int64_t t0 = mt_utc(2020, 1, 1, 0, 0), id = 1;
    for (int day = 0; day < 200; day++)
        for (int c = 0; c < 4; c++)
            mt_push(&truth, id++, t0 + day * 86400 + 3600 * (c + 1), u.cx[c], u.cy[c]);
    struct vg_window days[170];
    for (int w = 0; w < 170; w++)
        days[w].start = t0 + (30 + w) * 86400, days[w].end = days[w].start + 86400;
    const struct vg_model_ops *m = vg_model_find("naive");
    double params[VG_MODEL_MAX_PARAMS];
    const char *kv[] = {"days=28"};
    REQUIRE(vg_model_params(m, kv, 1, params, &d) == VG_OK);
    struct vg_fb_config c = {m, params, &u, tz, days, 170, 1, 0.1, 1.0, 28, VG_FB_NONE, 7};
    struct vg_fb_result none, ens;
    REQUIRE(vg_fb_simulate(&c, &truth, &none, &d) == VG_OK);
    c.corr = VG_FB_ENSIGN;
    REQUIRE(vg_fb_simulate(&c, &truth, &ens, &d) == VG_OK);
    CHECK(none.top1 > 0.9);
    CHECK(ens.top1 < none.top1 - 0.2);
    CHECK(ens.distinct == 4);
    CHECK_NEAR(none.reported, ens.reported, 0); /* same draws for reports */
    CHECK(ens.kept - ens.reported < 0.2 * ens.discovered);
    CHECK_NEAR(none.kept - none.reported, none.discovered, 0);
    vg_fb_result_free(&ens);
    c.patrols = 4;
    CHECK(vg_fb_simulate(&c, &truth, &ens, &d) == VG_USAGE);
    vg_fb_result_free(&none);
    vg_fb_result_free(&ens);
    vg_events_free(&truth);
    u.km2 = NULL;
    mt_grid_free(&u);
}

/* Ensign et al.'s urn: with rates 0.3 / 0.2 the uncorrected urn runs away
 * towards A (their Theorem: the share of A tends to 1), the corrected one
 * converges to the true share 0.3 / 0.5 = 0.6 with a shrinking spread. */
TEST(feedback_urn_runaway_and_fix)
{
    size_t days = 3000, runs = 200;
    double *sh = vg_calloc(days, sizeof *sh), *sd = vg_calloc(days, sizeof *sd);
    REQUIRE(sh && sd);
    vg_fb_urn(0.3, 0.2, days, runs, VG_FB_NONE, 5, sh, sd);
    CHECK(sh[days - 1] > 0.75);
    vg_fb_urn(0.3, 0.2, days, runs, VG_FB_ENSIGN, 5, sh, sd);
    CHECK_NEAR(sh[days - 1], 0.6, 0.02);
    CHECK(sd[days - 1] < 0.05);
    CHECK(sd[days - 1] < sd[99]);
    vg_free(sh);
    vg_free(sd);
}

/*
 * test_fairness.c — per-area shares and hit rates by origin on a hand-made
 * case (values worked out by hand in the comments).
 */
#include <math.h>
#include <string.h>

#include "audit/fairness.h"
#include "store/events.h"
#include "../../test.h"

/* 3 areas (populations 100, 300, unknown), 4 units in areas {0,0,1,2}.
 * Window 1 flags units {0,2}; window 2 flags {0,1}.
 * Flagged unit-windows: area0 3, area1 1, area2 0 → shares .75 .25 0.
 * Reported (located): w1 u0/a0 (hit), u1/a0, u3/a2; w2 u2/a1 (u2 not flagged
 * in w2) → area shares .5 .25 .25, hit rate 1/4.  The w2 event in no unit
 * is ignored.  Discovered: w1 u2/a1 (hit), w2 u0/a0 (hit) → 2/2.
 * Population shares of known (400): .25, .75, unknown. */
TEST(fairness_hand_case)
{
    const int32_t unit_area[4] = {0, 0, 1, 2};
    const double pop[3] = {100, 300, NAN};
    const int32_t f1[2] = {0, 2}, f2[2] = {0, 1};
    const int32_t u1[4] = {0, 1, 3, 2}, a1[4] = {0, 0, 2, 1};
    const uint8_t o1[4] = {VG_ORIGIN_REPORTED, VG_ORIGIN_REPORTED, VG_ORIGIN_REPORTED,
                           VG_ORIGIN_DISCOVERED};
    const int32_t u2[3] = {2, -1, 0}, a2[3] = {1, -1, 0};
    const uint8_t o2[3] = {VG_ORIGIN_REPORTED, VG_ORIGIN_REPORTED, VG_ORIGIN_DISCOVERED};
    uint8_t mark[4] = {0};
    struct vg_fairness f;
    struct vg_diag d;
    REQUIRE(vg_fair_init(&f, 3, pop, &d) == VG_OK);
    vg_fair_window(&f, unit_area, f1, 2, u1, a1, o1, 4, mark);
    vg_fair_window(&f, unit_area, f2, 2, u2, a2, o2, 3, mark);
    vg_fair_finish(&f);
    CHECK(mark[0] == 0 && mark[1] == 0 && mark[2] == 0 && mark[3] == 0);
    CHECK_EQ_INT(f.windows, 2);
    CHECK_NEAR(f.flagged, 4, 0);
    CHECK_NEAR(f.a[0].flagged_share, 0.75, 1e-12);
    CHECK_NEAR(f.a[1].flagged_share, 0.25, 1e-12);
    CHECK_NEAR(f.a[2].flagged_share, 0.0, 1e-12);
    CHECK_NEAR(f.a[0].reported_share, 0.5, 1e-12);
    CHECK_NEAR(f.a[1].reported_share, 0.25, 1e-12);
    CHECK_NEAR(f.a[2].reported_share, 0.25, 1e-12);
    CHECK_NEAR(f.a[0].flagged_to_reported, 1.5, 1e-12);
    CHECK_NEAR(f.a[1].flagged_to_reported, 1.0, 1e-12);
    CHECK_NEAR(f.a[2].flagged_to_reported, 0.0, 1e-12);
    CHECK_NEAR(f.a[0].pop_share, 0.25, 1e-12);
    CHECK_NEAR(f.a[1].pop_share, 0.75, 1e-12);
    CHECK(isnan(f.a[2].pop_share));
    CHECK_NEAR(f.reported, 4, 0);
    CHECK_NEAR(f.discovered, 2, 0);
    CHECK_NEAR(f.hit_rate_reported, 0.25, 1e-12);
    CHECK_NEAR(f.hit_rate_discovered, 1.0, 1e-12);
    CHECK_NEAR(f.hit_rate_all, 0.5, 1e-12);
    CHECK_NEAR(f.a[0].hit_rate_reported, 0.5, 1e-12);
    CHECK_NEAR(f.a[1].hit_rate_reported, 0.0, 1e-12);
    CHECK_NEAR(f.a[0].hit_rate_discovered, 1.0, 1e-12);
    CHECK(isnan(f.a[2].hit_rate_discovered));
    vg_fair_free(&f);
    vg_fair_free(&f); /* a freed accumulator can be freed again */
}

TEST(fairness_no_population)
{
    const int32_t unit_area[2] = {0, 1};
    const int32_t fl[1] = {1};
    const int32_t eu[1] = {0}, ea[1] = {0};
    const uint8_t eo[1] = {VG_ORIGIN_REPORTED};
    uint8_t mark[2] = {0};
    struct vg_fairness f;
    struct vg_diag d;
    REQUIRE(vg_fair_init(&f, 2, NULL, &d) == VG_OK);
    vg_fair_window(&f, unit_area, fl, 1, eu, ea, eo, 1, mark);
    vg_fair_finish(&f);
    CHECK(isnan(f.a[0].pop_share) && isnan(f.a[1].pop_share));
    CHECK(isnan(f.hit_rate_discovered));
    CHECK_NEAR(f.hit_rate_reported, 0, 0);
    CHECK(isnan(f.a[1].flagged_to_reported)); /* flagged, but nothing reported */
    vg_fair_free(&f);
}

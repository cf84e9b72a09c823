/*
 * test_metrics.c — metrics on a 4x4 grid worked out by hand; the same
 * numbers are recomputed independently with numpy by
 * tests/unit/eval/metrics_4x4.py (run by tests/integration/eval_metrics_numpy.sh).
 *
 * Grid: unit i = row*4 + col, row 0 at the bottom.  Row 0 cells are edge
 * cells cut by the boundary: 0.5 km² each; the 12 others are 1 km².
 * Total area 4*0.5 + 12 = 14 km².
 *
 *   expected λ (row 3 on top)      observed counts          density λ/km²
 *   0.0 0.1 0.4 0.5                0 0 2 0                  0.0 0.1 0.4 0.5
 *   0.2 0.9 0.6 0.3                1 0 1 0                  0.2 0.9 0.6 0.3
 *   0.3 1.2 0.8 0.1                0 2 0 0                  0.3 1.2 0.8 0.1
 *   0.1 0.4 0.2 0.0                0 1 0 1                  0.2 0.8 0.4 0.0
 *
 * Ranking by density desc, ties by index asc (ties: 1 and 6 at 0.8,
 * 2 and 14 at 0.4, 0 and 8 at 0.2, 4 and 11 at 0.3, 7 and 13 at 0.1,
 * 3 and 12 at 0):
 *   5 9 1 6 10 15 2 14 4 11 0 8 7 13 3 12
 * 8 events in all.
 *
 * 10 % coverage = 1.4 km²: unit 5 (1 km², 2 events) + 0.4 of unit 9
 *   (0 events) -> 2 captured; hit rate 2/8 = 0.25; PAI 0.25/0.10 = 2.5.
 *   Hindsight ranking (events/km²): 1 (2.0) 3 (2.0) 5 (2.0) 14 (2.0)
 *   8 (1.0) 10 (1.0).  Best at 1.4 km²: 1 (0.5 km², 1) + 3 (0.5, 1) +
 *   0.4 of 5 (0.8) = 2.8; PEI = 2/2.8 = 0.7142857.
 * 25 % coverage = 3.5 km²: 5 (2) + 9 (0) + 1 (0.5 km², 1) + 6 (0) fills
 *   exactly 3.5 -> 3 captured; hit rate 0.375; PAI 1.5.  Best: 1, 3, 5, 14
 *   (3 km², 6 events) + 0.5 of 8 (0.5) = 6.5; PEI 3/6.5 = 0.4615385.
 * NIJ-style fixed 2.25 km²: 5 (2) + 9 (0) + 0.5 of 1 (0.5) -> 2.5; hit
 *   rate 0.3125; PAI 0.3125 * 14/2.25 = 1.9444444.  Best: 1, 3, 5 (2 km²,
 *   4) + 0.25 of 14 (0.5) = 4.5; PEI 2.5/4.5 = 0.5555556.
 * Brier terms (p = 1 - e^-λ, o = [k >= 1]):
 *   i0 .009056 i1 .449329 i2 .032859 i3 1 i4 .067175 i5 .090718
 *   i6 .303239 i7 .009056 i8 .670320 i9 .352160 i10 .301194 i11 .067175
 *   i12 0 i13 .009056 i14 .449329 i15 .154818   sum 3.965483 -> /16 = 0.2478427
 * Log-lik terms (k log λ - λ - log k!): cells without events give -λ;
 *   i1 log .4 - .4 = -1.316291; i3 log 1e-10 (floor) = -23.025851;
 *   i5 2 log 1.2 - 1.2 - log 2 = -1.528504; i8 log .2 - .2 = -1.809438;
 *   i10 log .6 - .6 = -1.110826; i14 2 log .4 - .4 - log 2 = -2.925729;
 *   the -λ of the 10 others sum to -3.3.  Total -35.016638 -> /16 = -2.1885399.
 * Calibration: 16 units, bin = floor(r*10/16): the top bin holds ranks 0, 1
 *   = units 5 and 9: predicted 1.2 + 0.9 = 2.1, observed 2 + 0 = 2.
 */
#include "../../test.h"

#include "eval/metrics.h"

static const double km2[16] = {0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1,
                               1,   1,   1,   1,   1, 1, 1, 1};
static const double lam[16] = {0.1, 0.4, 0.2, 0.0, 0.3, 1.2, 0.8, 0.1,
                               0.2, 0.9, 0.6, 0.3, 0.0, 0.1, 0.4, 0.5};
static const double cnt[16] = {0, 1, 0, 1, 0, 2, 0, 0, 1, 0, 1, 0, 0, 0, 2, 0};

TEST(metrics_rank_ties_by_index)
{
    static const int32_t want[16] = {5, 9, 1, 6, 10, 15, 2, 14,
                                     4, 11, 0, 8, 7, 13, 3, 12};
    struct vg_metrics_ws ws;
    REQUIRE(vg_metrics_ws_init(&ws, 16) == VG_OK);
    vg_metrics_rank(&ws, lam, km2, 16);
    for (int r = 0; r < 16; r++)
        CHECK_EQ_INT(ws.order[r], want[r]);
    vg_metrics_ws_free(&ws);
}

TEST(metrics_4x4_hit_rate_pai_pei)
{
    const double total = 14, areas[3] = {10 * total / 100, 2.25, 25 * total / 100};
    double hits[3], best[3];
    struct vg_metrics_ws ws;
    REQUIRE(vg_metrics_ws_init(&ws, 16) == VG_OK);
    vg_metrics_rank(&ws, lam, km2, 16);
    vg_metrics_captured(ws.order, 16, km2, cnt, areas, 3, hits);
    CHECK_NEAR(hits[0], 2.0, 1e-12);
    CHECK_NEAR(hits[1], 2.5, 1e-12);
    CHECK_NEAR(hits[2], 3.0, 1e-12);
    CHECK_NEAR(hits[0] / 8 / (areas[0] / total), 2.5, 1e-12);
    CHECK_NEAR(hits[1] / 8 / (areas[1] / total), 1.9444444444444444, 1e-12);
    CHECK_NEAR(hits[2] / 8 / (areas[2] / total), 1.5, 1e-12);
    CHECK_EQ_INT(vg_metrics_prefix_len(ws.order, 16, km2, areas[0]), 2);
    CHECK_EQ_INT(vg_metrics_prefix_len(ws.order, 16, km2, areas[2]), 4);
    vg_metrics_best(&ws, cnt, km2, 16, areas, 3, best);
    CHECK_NEAR(best[0], 2.8, 1e-12);
    CHECK_NEAR(best[1], 4.5, 1e-12);
    CHECK_NEAR(best[2], 6.5, 1e-12);
    CHECK_NEAR(hits[0] / best[0], 0.7142857142857143, 1e-12);
    CHECK_NEAR(hits[2] / best[2], 0.46153846153846156, 1e-12);
    vg_metrics_ws_free(&ws);
}

TEST(metrics_4x4_brier_loglik_calib)
{
    CHECK_NEAR(vg_metrics_brier_sum(lam, cnt, 16) / 16, 0.24784269375484488, 1e-12);
    CHECK_NEAR(vg_metrics_loglik_sum(lam, cnt, 16) / 16, -2.1885398693309375, 1e-12);
    struct vg_metrics_ws ws;
    struct vg_calib c = {{0}, {0}, {0}};
    REQUIRE(vg_metrics_ws_init(&ws, 16) == VG_OK);
    vg_metrics_rank(&ws, lam, km2, 16);
    vg_metrics_calib_add(ws.order, 16, lam, cnt, &c);
    CHECK_NEAR(c.pred[0], 2.1, 1e-12);
    CHECK_NEAR(c.obs[0], 2.0, 1e-12);
    CHECK_NEAR(c.n[0], 2, 0);
    double np = 0, no = 0, nn = 0;
    for (int b = 0; b < VG_CALIB_BINS; b++)
        np += c.pred[b], no += c.obs[b], nn += c.n[b];
    CHECK_NEAR(np, 6.1, 1e-12); /* sum of λ */
    CHECK_NEAR(no, 8, 0);
    CHECK_NEAR(nn, 16, 0);
    vg_metrics_ws_free(&ws);
}

TEST(metrics_overlap_area_weighted)
{
    /* a = 5 9 1 6 ..., b = 9 5 14 ...: at 1.4 km² a flags 5 + 0.4 of 9,
     * b flags 9 + 0.4 of 5 -> shared 0.4 + 0.4 = 0.8 km² of 1.4. */
    const int32_t a[] = {5, 9, 1, 6}, b[] = {9, 5, 14, 1};
    double mark[16] = {0};
    CHECK_NEAR(vg_metrics_overlap(a, 4, b, 4, km2, 1.4, mark), 0.8 / 1.4, 1e-12);
    CHECK_NEAR(vg_metrics_overlap(a, 4, a, 4, km2, 1.4, mark), 1.0, 1e-12);
    for (int i = 0; i < 16; i++)
        CHECK(mark[i] == 0);
    /* 2 km²: a = 5, 9 ; b = 9, 5 -> identical sets */
    CHECK_NEAR(vg_metrics_overlap(a, 4, b, 4, km2, 2.0, mark), 1.0, 1e-12);
    const int32_t c[] = {1, 0, 2, 3};
    CHECK_NEAR(vg_metrics_overlap(a, 4, c, 4, km2, 1.4, mark), 0.0, 1e-12);
}

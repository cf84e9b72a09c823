/*
 * test_bootstrap.c — the block bootstrap against closed forms on synthetic
 * data with known variance.
 */
#include "../../test.h"

#include <stdint.h>
#include <stdlib.h>

#include "eval/bootstrap.h"

/* Independent generator (not the one under test): 64-bit LCG + Box–Muller. */
static uint64_t lcg = 12345;
static double unif(void)
{
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(lcg >> 11) + 0.5) * 0x1p-53;
}
static double gauss(void)
{
    return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

TEST(bootstrap_week_monday_start)
{
    CHECK_EQ_INT(vg_bootstrap_week(0), 0);  /* Thu 1970-01-01 */
    CHECK_EQ_INT(vg_bootstrap_week(3), 0);  /* Sun 1970-01-04 */
    CHECK_EQ_INT(vg_bootstrap_week(4), 1);  /* Mon 1970-01-05 */
    CHECK_EQ_INT(vg_bootstrap_week(-3), 0); /* Mon 1969-12-29 */
    CHECK_EQ_INT(vg_bootstrap_week(-4), -1);/* Sun 1969-12-28 */
}

/* iid N(mu, sigma²) differences, one window per block: the CI of the mean
 * must have width ~ 2 * 1.96 * sigma / sqrt(n). */
TEST(bootstrap_iid_width_matches_closed_form)
{
    enum { N = 400 };
    static double a[N], b[N], den[N];
    static int64_t blk[N];
    const double mu = 0.5, sigma = 2.0;
    lcg = 7;
    for (int i = 0; i < N; i++)
        a[i] = mu + sigma * gauss(), b[i] = 0, den[i] = 1, blk[i] = i;
    struct vg_boot_result r;
    REQUIRE(vg_bootstrap_diff(a, b, den, blk, N, 1.0, 0.95, 4000, 42, &r, NULL) == VG_OK);
    double want = 2 * 1.959964 * sigma / sqrt(N);
    CHECK(fabs((r.hi - r.lo) - want) < 0.12 * want);
    CHECK(r.lo < r.est && r.est < r.hi);
    CHECK_EQ_INT(r.nblocks, N);
    /* same seed, same interval; another seed, a different one */
    struct vg_boot_result r2, r3;
    vg_bootstrap_diff(a, b, den, blk, N, 1.0, 0.95, 4000, 42, &r2, NULL);
    vg_bootstrap_diff(a, b, den, blk, N, 1.0, 0.95, 4000, 43, &r3, NULL);
    CHECK(r.lo == r2.lo && r.hi == r2.hi);
    CHECK(r.lo != r3.lo);
}

/* Coverage: over 200 synthetic data sets the 95 % interval must contain the
 * true mean about 95 % of the time. */
TEST(bootstrap_coverage_near_nominal)
{
    enum { N = 80, SETS = 200 };
    static double a[N], b[N], den[N];
    static int64_t blk[N];
    int covered = 0;
    lcg = 99;
    for (int s = 0; s < SETS; s++) {
        for (int i = 0; i < N; i++)
            a[i] = 1.0 + gauss(), b[i] = 0.2 * gauss(), den[i] = 1, blk[i] = i;
        struct vg_boot_result r;
        REQUIRE(vg_bootstrap_diff(a, b, den, blk, N, 1.0, 0.95, 1000,
                                  (uint64_t)s, &r, NULL) == VG_OK);
        covered += r.lo <= 1.0 && 1.0 <= r.hi;
    }
    CHECK(covered >= 176 && covered <= 198); /* 0.88 .. 0.99 */
}

/* Seven correlated nights per week: resampling weeks must give the width of
 * the week-mean closed form, and be much wider than resampling nights. */
TEST(bootstrap_weeks_capture_within_week_correlation)
{
    enum { W = 60, N = 7 * W };
    static double a[N], b[N], den[N];
    static int64_t week[N], night[N];
    lcg = 2024;
    for (int w = 0; w < W; w++) {
        double eff = gauss();
        for (int k = 0; k < 7; k++) {
            int i = 7 * w + k;
            a[i] = eff + 0.1 * gauss(), b[i] = 0, den[i] = 1;
            week[i] = w, night[i] = i;
        }
    }
    struct vg_boot_result rw, rn;
    REQUIRE(vg_bootstrap_diff(a, b, den, week, N, 1.0, 0.95, 4000, 1, &rw, NULL) == VG_OK);
    REQUIRE(vg_bootstrap_diff(a, b, den, night, N, 1.0, 0.95, 4000, 1, &rn, NULL) == VG_OK);
    double want = 2 * 1.959964 * sqrt((1 + 0.01 / 7) / W);
    CHECK(fabs((rw.hi - rw.lo) - want) < 0.25 * want);
    CHECK((rw.hi - rw.lo) > 2 * (rn.hi - rn.lo));
    CHECK_EQ_INT(rw.nblocks, W);
}

TEST(bootstrap_pai_scale_and_relative)
{
    /* captured 3 vs 2 of 10 events at 5 % coverage in each of 4 weeks:
     * PAI 6 vs 4 -> est 2, rel +50 %; every replicate identical. */
    double a[4] = {3, 3, 3, 3}, b[4] = {2, 2, 2, 2}, den[4] = {10, 10, 10, 10};
    int64_t blk[4] = {0, 1, 2, 3};
    struct vg_boot_result r;
    REQUIRE(vg_bootstrap_diff(a, b, den, blk, 4, 1 / 0.05, 0.95, 500, 5, &r, NULL) == VG_OK);
    CHECK_NEAR(r.est, 2.0, 1e-12);
    CHECK_NEAR(r.lo, 2.0, 1e-12);
    CHECK_NEAR(r.rel, 0.5, 1e-12);
    CHECK_NEAR(r.rel_hi, 0.5, 1e-12);
    CHECK(vg_bootstrap_diff(a, b, den, blk, 0, 1, 0.95, 500, 5, &r, NULL) == VG_RANGE);
}

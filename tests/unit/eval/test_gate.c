/*
 * test_gate.c — publication gate verdicts on hand-made backtest summaries,
 * and the held-out period arithmetic (day numbers from Python's datetime).
 */
#include "../../test.h"

#include <stdint.h>

#include "eval/gate.h"

TEST(gate_period_six_months)
{
    int64_t from, to;
    vg_gate_period(18261, 6, &from, &to); /* last event 2019-12-31 */
    CHECK_EQ_INT(to, 18260);              /* 2019-12-30 */
    CHECK_EQ_INT(from, 18078);            /* 2019-07-01 */
    vg_gate_period(18140, 6, &from, &to); /* 2019-09-01 */
    CHECK_EQ_INT(from, 17956);            /* 2019-03-01 (Feb 31 -> 28) */
    vg_gate_period(18322, 6, &from, &to); /* 2020-03-01 */
    CHECK_EQ_INT(from, 18138);            /* 2019-08-30 */
}

static struct vg_spec_model models[3];
static struct vg_bt_summary sums[3];
static struct vg_bt_window win[2] = {{0, 1, 18078}, {2, 3, 18260}};

/* model 0 = candidate, 1 = best baseline (PAI 4), 2 = other baseline */
static struct vg_backtest_result fake(double pai, double rel, double lo, double hi)
{
    struct vg_backtest_result r;
    memset(&r, 0, sizeof r);
    memset(models, 0, sizeof models);
    memset(sums, 0, sizeof sums);
    snprintf(models[0].name, sizeof models[0].name, "kde:bandwidth=200");
    snprintf(models[1].name, sizeof models[1].name, "naive:days=28");
    snprintf(models[2].name, sizeof models[2].name, "naive:days=7");
    models[1].baseline = models[2].baseline = 1;
    r.nmodels = 3, r.models = models, r.sum = sums, r.win = win, r.nwin = 2;
    r.ncover = 2, r.cover[0] = 1, r.cover[1] = 5, r.iprimary = 1;
    r.best_baseline = 1;
    sums[0].pai[1] = pai, sums[1].pai[1] = 4, sums[2].pai[1] = 3;
    sums[0].events = 500, sums[0].has_vs = 1, sums[0].vs_baseline = 1;
    sums[0].vs.rel = rel, sums[0].vs.rel_lo = lo, sums[0].vs.rel_hi = hi;
    return r;
}

TEST(gate_publishable_evidence_line)
{
    struct vg_backtest_result r = fake(4.6, 0.15, 0.041, 0.262);
    struct vg_gate_verdict v;
    REQUIRE(vg_gate_decide(&r, 0, NULL, &v, NULL) == VG_OK);
    CHECK(v.publishable);
    CHECK_STR(v.evidence, "beats the best baseline (naive:days=28) by 15.0 % PAI "
                          "(95 % CI 4.1-26.2) on 2019-07-01 to 2019-12-30");
    CHECK(v.reason[0] == 0);
}

TEST(gate_refuses_when_ci_includes_zero)
{
    struct vg_backtest_result r = fake(4.2, 0.05, -0.02, 0.12);
    struct vg_gate_verdict v;
    REQUIRE(vg_gate_decide(&r, 0, "H2 2019", &v, NULL) == VG_OK);
    CHECK(!v.publishable && v.evidence[0] == 0);
    CHECK(strstr(v.reason, "5.0 % above") && strstr(v.reason, "includes zero") &&
          strstr(v.reason, "-2.0 to 12.0 %") && strstr(v.reason, "H2 2019"));
}

TEST(gate_refuses_when_worse_and_says_by_how_much)
{
    struct vg_backtest_result r = fake(3.6, -0.10, -0.18, -0.03);
    struct vg_gate_verdict v;
    REQUIRE(vg_gate_decide(&r, 0, NULL, &v, NULL) == VG_OK);
    CHECK(!v.publishable);
    CHECK(strstr(v.reason, "does not beat") && strstr(v.reason, "naive:days=28") &&
          strstr(v.reason, "PAI 3.60 vs 4.00") && strstr(v.reason, "10.0 % lower"));
    REQUIRE(vg_gate_decide(&r, 1, NULL, &v, NULL) == VG_OK);
    CHECK(!v.publishable && strstr(v.reason, "is a naive baseline"));
    r.best_baseline = SIZE_MAX;
    REQUIRE(vg_gate_decide(&r, 0, NULL, &v, NULL) == VG_OK);
    CHECK(!v.publishable && strstr(v.reason, "no naive baseline"));
    CHECK(vg_gate_decide(&r, 7, NULL, &v, NULL) == VG_RANGE);
}

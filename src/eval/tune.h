/*
 * tune.h — parameter search for one model on a validation period that is
 * separate from (and earlier than) the test period.
 *
 * Axes are "name=v1|v2|v3" (a list) or "name=lo..hi" (a range, random
 * search only).  With random == 0 every combination of the lists is tried
 * (ranges are refused); with random == N, N settings are drawn with a
 * seeded generator: one list value uniformly, or a uniform value of the
 * range (an integer when lo, hi and the parameter's default are integers).
 * All settings run as the models of one backtest on the validation
 * windows, in parallel; every setting is recorded with its scores.  The
 * best is the highest PAI at the primary coverage (ties: higher log-lik,
 * then the earlier setting).  If test windows are given, the best setting
 * and the baselines are then backtested on them, and only that result
 * should be reported as the model's performance.
 * The result owns its arrays (vg_tune_result_free).
 */
#ifndef VG_TUNE_H
#define VG_TUNE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "eval/backtest.h"

#define VG_TUNE_MAX_AXES 8
#define VG_TUNE_MAX_VALUES 32
#define VG_TUNE_MAX_TRIALS 256

struct vg_tune_config {
    const struct vg_model_ops *ops;
    const char *const *axes; /* "bandwidth=100|200|400", "theta=0.1..0.9" */
    size_t naxes;
    size_t random;           /* 0 = full grid, else the number of draws */
    uint64_t seed;
    struct vg_backtest_config bt; /* win/nwin = validation windows; its
                                     models are ignored */
    const struct vg_bt_window *test; /* must start after validation ends */
    size_t ntest;                    /* 0 = no test run */
    const struct vg_spec_model *baselines; /* for the test run */
    size_t nbaselines;
};

struct vg_tune_trial {
    struct vg_spec_model model;
    double pai, hit_rate, pei, loglik, brier; /* on validation, primary cov. */
};

struct vg_tune_result {
    struct vg_tune_trial *trial;
    size_t ntrial, best;
    int has_test;
    struct vg_backtest_result test; /* best + baselines on the test windows */
};

/* Run the search.  Fails with VG_USAGE on a malformed axis, an unknown
 * parameter, a range in a grid search, overlapping validation and test
 * periods; VG_LIMIT past the limits above; or the backtest's error. */
enum vg_err vg_tune_run(const struct vg_tune_config *c,
                        const struct vg_events *all, const struct vg_units *u,
                        struct vg_tune_result *out, struct vg_diag *d);

void vg_tune_result_free(struct vg_tune_result *r);

#endif

/*
 * bootstrap.h — confidence interval for "model A minus model B" over the
 * windows of a backtest, by a block bootstrap that resamples whole weeks
 * (nights of one week are correlated: the same hot spots, the same weather)
 * with replacement.  Each replicate draws as many blocks as there are, so
 * replicate sizes vary with block sizes; statistics are ratios of sums, not
 * means of per-window ratios, so empty windows need no special case.
 * Deterministic for a given seed (splitmix64).  No heap escapes.
 */
#ifndef VG_BOOTSTRAP_H
#define VG_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct vg_boot_result {
    double est, lo, hi;         /* scale * (Σa - Σb) / Σden and its CI */
    double rel, rel_lo, rel_hi; /* Σa / Σb - 1 and its CI (NaN if Σb == 0) */
    size_t nblocks;             /* distinct blocks */
    size_t reps;                /* replicates drawn */
};

/* Week block of a local date (days since 1970-01-01): weeks start Monday. */
int64_t vg_bootstrap_week(int64_t day);

/* a[w], b[w]: per-window numerators of the two models (e.g. events captured
 * at the same flagged area); den[w]: their common denominator (events).
 * block[w]: block id of window w (any order).  `level` e.g. 0.95; `reps`
 * replicates (>= 100).  With a = captured, den = events and scale =
 * 1/coverage, `est` is the difference in PAI and `rel` the relative PAI
 * gain.  Percentile intervals (type-7 quantiles).  Fails with VG_RANGE on
 * n == 0 or bad level/reps, VG_NOMEM. */
enum vg_err vg_bootstrap_diff(const double *a, const double *b,
                              const double *den, const int64_t *block,
                              size_t n, double scale, double level,
                              size_t reps, uint64_t seed,
                              struct vg_boot_result *out, struct vg_diag *d);

/* Type-7 quantile of sorted x[0..n), q in [0, 1]. */
double vg_bootstrap_quantile(const double *sorted, size_t n, double q);

#endif

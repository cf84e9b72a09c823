/*
 * publish_stats.h — statistical disclosure control for published count
 * tables (rows = areas, columns = months, with row, column and grand totals
 * published).
 *
 * Rule: a cell with 0 < count < threshold (default 5) is sensitive and is
 * suppressed (primary suppression).  Zero cells are published: a zero
 * discloses no person, and a suppressed zero would protect nothing (its
 * lower bound 0 is its value), so zeros are used as complements only when
 * a line has no non-zero cell left.  Totals are always published.
 *
 * Complementary suppression, iterated until stable:
 *  1. every row and every column holding a suppressed cell must hold at
 *     least two; a line with one gets its smallest non-zero published cell,
 *     preferring cells whose crossing line already holds a suppressed cell
 *     (they close a cycle instead of opening a new lone cell);
 *  2. the exact feasible interval [lo, hi] of every suppressed cell, given
 *     the published cells and totals and counts >= 0, is computed (max-flow
 *     on the bipartite row/column graph — exact for 2-D tables); a primary
 *     cell needs hi - lo >= protection (default = threshold), a complement
 *     hi - lo >= 1.  A cell short of it gets the cheapest rectangle
 *     (i,j'),(i',j),(i',j') (least total of newly suppressed counts) that
 *     reaches the requirement, else the one that widens it most; when no
 *     rectangle widens it the cell is counted as weak.
 * The result is never exactly recoverable by linear programming unless
 * `weak` > 0; tests check this with an independent scipy LP attack.
 * Memory: the caller owns every array; nothing is allocated across calls.
 */
#ifndef VG_PUBLISH_STATS_H
#define VG_PUBLISH_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define VG_PUBSTATS_MAX_ROWS 2000
#define VG_PUBSTATS_MAX_COLS 240

enum vg_pubstats_cell {
    VG_PUBSTATS_SHOWN = 0,
    VG_PUBSTATS_PRIMARY = 1,   /* sensitive: 0 < count < threshold */
    VG_PUBSTATS_COMPLEMENT = 2 /* suppressed to protect a primary */
};

struct vg_pubstats_opts {
    int64_t threshold;   /* 0 = 5 */
    int64_t protection;  /* required width for primaries; 0 = threshold */
};

struct vg_pubstats_summary {
    size_t primary, complement;
    size_t weak;         /* suppressed cells short of their requirement */
    int64_t suppressed_total; /* sum of suppressed counts */
};

/* Decide which cells of `cells` (rows x cols, row-major, all >= 0) to
 * suppress; `state` (rows x cols, caller-owned) receives enum
 * vg_pubstats_cell values.  VG_RANGE for negative counts or sizes beyond
 * the limits; VG_NOMEM. */
enum vg_err vg_pubstats_suppress(const int64_t *cells, size_t rows,
                                 size_t cols, const struct vg_pubstats_opts *o,
                                 unsigned char *state,
                                 struct vg_pubstats_summary *sum,
                                 struct vg_diag *d);

/* Exact feasible interval of cell (i, j) for someone who sees the published
 * cells (state SHOWN) and all totals.  For a shown cell lo = hi = value. */
enum vg_err vg_pubstats_interval(const int64_t *cells,
                                 const unsigned char *state, size_t rows,
                                 size_t cols, size_t i, size_t j, int64_t *lo,
                                 int64_t *hi);

#endif

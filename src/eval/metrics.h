/*
 * metrics.h — scoring one forecast (expected events per unit) against what
 * happened (events per unit) in one time window.
 *
 * Ranking rule (deterministic, documented once here): units are ranked by
 * expected events per km² (expected / km2), highest first; ties go to the
 * lower unit index.  Ranking by density rather than by raw count is what a
 * fixed *area* budget calls for: with equal cells it is the same order as
 * "expected desc, index asc", and with partial edge cells or areas of
 * different sizes it does not reward a model for preferring big units.
 * Non-positive or NaN expectations count as 0; units with km2 <= 0 cannot
 * be flagged.
 *
 * Coverage is area, not unit count: flagging A km² takes the ranked units
 * in order until their cumulative km² reaches A; the unit that crosses A
 * counts for the fraction of its area needed to reach A exactly (so every
 * model is scored on exactly the same area).  "Captured" events are the
 * events in flagged units, weighted by those fractions.
 *   hit rate = captured / events            PAI = hit rate / (A / total km²)
 *   PEI      = captured / best captured, the best being the hindsight
 *              ranking by observed events per km² (same tie rule).
 *   Brier    = mean over units of (P(>=1) - [count >= 1])², P(>=1) = 1 - e^-λ
 *   log-lik  = mean over units of  k log λ - λ - log k!  (Poisson), with λ
 *              floored at VG_METRICS_LAMBDA_FLOOR inside the log so that a
 *              zero forecast where an event happened costs ~ -23 per event
 *              instead of -inf.
 * All functions are pure; buffers are caller-owned (see vg_metrics_ws).
 */
#ifndef VG_METRICS_H
#define VG_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define VG_METRICS_LAMBDA_FLOOR 1e-10
#define VG_CALIB_BINS 10

/* Scratch space for ranking n units; reuse it across windows. */
struct vg_metrics_ws {
    size_t cap;
    int32_t *order;  /* result of vg_metrics_rank: n unit indices */
    int32_t *tmp;    /* private */
    uint64_t *key, *key2;
    double *mark;    /* n zeros between calls (overlap) */
};

enum vg_err vg_metrics_ws_init(struct vg_metrics_ws *ws, size_t n);
void vg_metrics_ws_free(struct vg_metrics_ws *ws);

/* Rank the n units (rule above) into ws->order[0..n).  O(n) radix sort. */
void vg_metrics_rank(struct vg_metrics_ws *ws, const double *expected,
                     const double *km2, size_t n);

/* Events captured when flagging areas[j] km² of the ranking `order`
 * (norder units), for each j; `areas` must be ascending.  Writes hits[j]. */
void vg_metrics_captured(const int32_t *order, size_t norder,
                         const double *km2, const double *count,
                         const double *areas, size_t nareas, double *hits);

/* Number of leading units of `order` that are at least partly flagged when
 * flagging `area` km². */
size_t vg_metrics_prefix_len(const int32_t *order, size_t norder,
                             const double *km2, double area);

/* Best possible captured events at each areas[j] (ascending) in hindsight.
 * Uses ws->tmp/ws->key as scratch. */
void vg_metrics_best(struct vg_metrics_ws *ws, const double *count,
                     const double *km2, size_t n, const double *areas,
                     size_t nareas, double *best);

/* Sums over the n units (divide by n for the per unit-window mean). */
double vg_metrics_brier_sum(const double *expected, const double *count,
                            size_t n);
double vg_metrics_loglik_sum(const double *expected, const double *count,
                             size_t n);

/* Calibration accumulator: bin b holds the units whose rank r in the
 * window's ranking has floor(r * 10 / n) == b (b = 0 is the highest
 * predicted tenth).  Sums, so windows can be added up. */
struct vg_calib {
    double pred[VG_CALIB_BINS], obs[VG_CALIB_BINS], n[VG_CALIB_BINS];
};
void vg_metrics_calib_add(const int32_t *order, size_t n,
                          const double *expected, const double *count,
                          struct vg_calib *acc);

/* Area-weighted overlap of two flagged sets at `area` km²: the km² flagged
 * in both (boundary units by their fractions, min of the two) divided by
 * the km² flagged in `b`.  1 = same places, 0 = disjoint.  `mark` must hold
 * n zeros and is left zeroed. */
double vg_metrics_overlap(const int32_t *a, size_t na, const int32_t *b,
                          size_t nb, const double *km2, double area,
                          double *mark);

#endif

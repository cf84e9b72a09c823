/*
 * fairness.h — per-area shares behind `vigie audit fairness`.
 *
 * Over a series of forecast windows, each window flags a set of units (the
 * top of the model's ranking at a coverage).  For every area of a layer:
 *   flagged share    = unit-windows flagged in the area / all flagged
 *                      unit-windows (a unit belongs to the area holding its
 *                      centroid);
 *   reported share   = reported incidents in the area / all reported
 *                      incidents in the windows (the area holding the
 *                      incident's point);
 *   population share = population / population of the areas whose
 *                      population is known (NAN when unknown);
 *   flagged_to_reported = flagged share / reported share (1 = flagged in
 *                      proportion to what residents report; NAN when the
 *                      area has no reported incident).
 * Hit rate by origin: incidents of that origin inside a flagged unit of
 * their window / incidents of that origin located in a unit (NAN when
 * there are none), overall and per area.
 *
 * Ownership: struct vg_fairness owns its area array (vg_fair_free).
 */
#ifndef VG_FAIRNESS_H
#define VG_FAIRNESS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct vg_fair_area {
    double flagged;                 /* unit-windows */
    double reported, discovered, other; /* incidents located in the area */
    double hit_reported, hit_discovered; /* of which in a flagged unit */
    double pop;                     /* NAN if unknown */
    /* vg_fair_finish */
    double flagged_share, reported_share, pop_share, flagged_to_reported;
    double hit_rate_reported, hit_rate_discovered;
};

struct vg_fairness {
    size_t nareas;
    struct vg_fair_area *a;
    size_t windows;
    double flagged, reported, discovered, other, pop_known;
    double hit_reported, hit_discovered, hit_other;
    double outside; /* incidents in no area */
    /* vg_fair_finish */
    double hit_rate_reported, hit_rate_discovered, hit_rate_all;
};

/* Zeroed accumulator for `nareas` areas; pop may be NULL (all unknown). */
enum vg_err vg_fair_init(struct vg_fairness *f, size_t nareas, const double *pop,
                         struct vg_diag *d);

/* Add one window.  unit_area[u]: area of unit u (-1 none).  flagged[0..nf):
 * the units flagged.  For the window's incidents: ev_unit (-1 = in no
 * unit), ev_area (-1 = in no area), ev_origin (enum vg_origin).
 * `mark` is caller scratch of one byte per unit, all zero, left zero. */
void vg_fair_window(struct vg_fairness *f, const int32_t *unit_area,
                    const int32_t *flagged, size_t nf, const int32_t *ev_unit,
                    const int32_t *ev_area, const uint8_t *ev_origin,
                    size_t nev, uint8_t *mark);

/* Compute the shares and rates (idempotent). */
void vg_fair_finish(struct vg_fairness *f);
void vg_fair_free(struct vg_fairness *f);

#endif

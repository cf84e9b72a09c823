/*
 * common.h — helpers shared by the model files (internal: model__ prefix).
 * Not part of the public model interface.
 */
#ifndef VG_MODEL_COMMON_H
#define VG_MODEL_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "model/tod.h"

/* Every model learns a time-of-day profile in fit() with these settings. */
#define MODEL__TOD_SIGMA_H 1.5
#define MODEL__TOD_PRIOR 500.0
#define MODEL__DAY 86400.0

/* Unit index of a point, or -1: grid → computed from x0/y0/cell/cell_unit
 * (no geo dependency); areas → the event's area index when < n. */
int32_t model__unit_of(const struct vg_units *u, double x, double y,
                       int32_t area);
/* Unit of each of the first `n` events into a new array (vg_free). */
enum vg_err model__units_of(const struct vg_units *u,
                            const struct vg_events *ev, size_t n,
                            int32_t **out, struct vg_diag *d);
/* Surface of unit i in m² (km2 when known, else cell²). */
double model__unit_m2(const struct vg_units *u, size_t i);
/* Length of window `w` in "average days of activity": 7 × the share of a
 * week's activity that falls in it (equals the real length in days under a
 * uniform profile).  Daily rate × this = expected count in the window. */
double model__eff_days(const struct vg_tod *tod, const struct vg_tz *tz,
                       const struct vg_window *w);
/* Check the common preconditions of fit/predict. */
enum vg_err model__check_input(const struct vg_model_input *in,
                               const char *model, struct vg_diag *d);
/* Number of visible events (t < t_cut). */
size_t model__visible(const struct vg_model_input *in);

/* Run fn(ctx, chunk) for chunk = 0..nchunks-1 on up to `threads` threads.
 * Results must depend on the chunk only (not on the thread), which makes
 * them independent of the thread count. */
void model__parallel(int threads, size_t nchunks,
                     void (*fn)(void *ctx, size_t chunk), void *ctx);

/* Keep `out` (length *n <= max) sorted by decreasing weight, inserting c. */
void model__top_insert(struct vg_contrib *out, size_t *n, size_t max,
                       const struct vg_contrib *c);
/* "YYYY-MM-DD" local date of t into buf (>= 11 bytes). */
void model__date(const struct vg_tz *tz, int64_t t, char *buf, size_t cap);

/* Kernel spreading: adds, for each event k in [lo, hi) with weight wgt[k]
 * (0 → skipped), kern(dist(event, unit centroid)) * wgt[k] to acc[unit] for
 * every unit within `radius` metres.  Grids visit only cells within the
 * radius (rows split across threads, each row summed in event order, so the
 * result is identical for any thread count); area units are visited by
 * brute force. */
struct model__kernel {
    int type;        /* 0 gaussian, 1 quartic, 2 prospective 1/(1+d/cell) */
    double h;        /* bandwidth, metres */
    double radius;   /* support, metres */
    double cellsize; /* metres per "cell" for type 2 */
};
double model__kern(const struct model__kernel *k, double dist);
void model__spread(const struct vg_units *u, const struct vg_events *ev,
                   size_t lo, size_t hi, const double *wgt,
                   const struct model__kernel *k, int threads, double *acc);
/* Explain helper for spreading models: the `max` events of [lo, hi) with
 * the largest kern(dist)*wgt*scale at unit i. */
size_t model__spread_explain(const struct vg_model_input *in,
                             size_t lo, size_t hi, const double *wgt,
                             const struct model__kernel *k, double scale,
                             size_t i, struct vg_contrib *out, size_t max);

#endif

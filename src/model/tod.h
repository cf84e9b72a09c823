/*
 * tod.h — time-of-day × weekday activity profile of a category, and the
 * share of a week's activity that falls inside a patrol window.
 *
 * The profile has 168 bins (ISO weekday 1..7 × local hour 0..23, bin =
 * (weekday-1)*24 + hour) whose shares sum to 1 over a week.  A window's
 * share is the integral of the profile over the real (UTC) seconds of the
 * window, each second falling in the bin of its local wall-clock hour, so a
 * 20:00–03:30 shift on a fall-back night counts 8.5 real hours.  Plain value
 * type: no heap, copy freely.
 */
#ifndef VG_TOD_H
#define VG_TOD_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/tz.h"
#include "store/events.h"

#define VG_TOD_BINS 168

struct vg_tod {
    double share[VG_TOD_BINS]; /* sums to 1 */
    size_t n_used;             /* events that shaped the profile */
    size_t n_midnight;         /* events at exactly local 00:00:00, excluded */
};

/* Learn the profile from the first `n` events of `ev` (local time in `tz`).
 * Events stamped exactly 00:00:00 local are treated as "time unknown" and
 * excluded.  Counts are smoothed circularly along the 168-hour ring with a
 * Gaussian of `sigma_h` hours, then shrunk toward the product of the weekday
 * and hour marginals with a prior weight of `prior` events (empty history →
 * uniform profile).  Never fails. */
void vg_tod_learn(const struct vg_events *ev, size_t n, const struct vg_tz *tz,
                  double sigma_h, double prior, struct vg_tod *out);
/* Uniform profile (every hour of the week 1/168). */
void vg_tod_uniform(struct vg_tod *out);
/* Share of a week's activity falling in [start, end) (0 if end <= start).
 * A week-long window gives ~1; windows longer than 14 days count whole
 * weeks as 1 each. */
double vg_tod_share(const struct vg_tod *p, const struct vg_tz *tz,
                    int64_t start, int64_t end);
/* Share of the week's activity on ISO weekday `wd` (1..7). */
double vg_tod_weekday_share(const struct vg_tod *p, int wd);

#endif

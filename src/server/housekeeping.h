/*
 * housekeeping.h — the daily jobs of `vigie serve`: the retention purge
 * (audit/purge.h) at start and every `hours` hours (0 = never).
 */
#ifndef VG_HOUSEKEEPING_H
#define VG_HOUSEKEEPING_H

#include "base/err.h"

struct vg_server;
struct vg_housekeeping;

/* Start the thread (nothing when hours <= 0: *out = NULL).  The first purge
 * runs at once, in the thread. */
enum vg_err vg_housekeeping_start(struct vg_server *s, double hours,
                                  struct vg_housekeeping **out, struct vg_diag *d);
/* Wake the thread, wait for it (a purge under way finishes), free.
 * Accepts NULL. */
void vg_housekeeping_stop(struct vg_housekeeping *h);
/* One purge now (what the thread runs); reports on stderr. */
void vg_housekeeping_purge(struct vg_server *s);

#endif

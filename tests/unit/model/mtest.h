/*
 * mtest.h — fixtures shared by the model unit tests: a hand-built grid and
 * small event sets.  Static inline so each test file stands alone.
 */
#ifndef VG_MTEST_H
#define VG_MTEST_H

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/tz.h"
#include "geo/units.h"
#include "model/model.h"
#include "store/events.h"

/* nx × ny grid of `cell` metres at (x0, y0), every cell a unit (row-major). */
static inline void mt_grid(struct vg_units *u, int nx, int ny, double cell,
                           double x0, double y0)
{
    memset(u, 0, sizeof *u);
    u->kind = VG_UNITS_GRID;
    u->n = (size_t)nx * (size_t)ny;
    u->nx = nx;
    u->ny = ny;
    u->cell = cell;
    u->x0 = x0;
    u->y0 = y0;
    u->cx = calloc(u->n, sizeof(double));
    u->cy = calloc(u->n, sizeof(double));
    u->cell_unit = calloc(u->n, sizeof(int32_t));
    u->unit_col = calloc(u->n, sizeof(int32_t));
    u->unit_row = calloc(u->n, sizeof(int32_t));
    for (int r = 0; r < ny; r++)
        for (int c = 0; c < nx; c++) {
            size_t i = (size_t)r * (size_t)nx + (size_t)c;
            u->cell_unit[i] = (int32_t)i;
            u->unit_col[i] = c;
            u->unit_row[i] = r;
            u->cx[i] = x0 + (c + 0.5) * cell;
            u->cy[i] = y0 + (r + 0.5) * cell;
        }
}

static inline void mt_grid_free(struct vg_units *u)
{
    free(u->cx);
    free(u->cy);
    free(u->cell_unit);
    free(u->unit_col);
    free(u->unit_row);
}

static inline void mt_push(struct vg_events *ev, int64_t id, int64_t t, double x,
                           double y)
{
    vg_events_push(ev, id, t, t, x, y, 0, 0, 0, -1, 0, 0);
}

static inline struct vg_model_input mt_input(const struct vg_events *ev,
                                             const struct vg_units *u,
                                             const struct vg_tz *tz, int64_t cut)
{
    struct vg_model_input in;
    memset(&in, 0, sizeof in);
    in.ev = ev;
    in.units = u;
    in.tz = tz;
    in.t_cut = cut;
    in.threads = 1;
    return in;
}

/* UTC seconds of a UTC date-time. */
static inline int64_t mt_utc(int y, int m, int d, int h, int mi)
{
    return vg_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60;
}

#endif

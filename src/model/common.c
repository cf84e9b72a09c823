/*
 * common.c — shared helpers of the models: point → unit, window lengths,
 * a deterministic parallel-for, the top-k list used by explain(), and the
 * kernel "spreader" used by kde, prospective and stkde.
 *
 * Invariant: every parallel computation splits work into a fixed number of
 * chunks that does not depend on the thread count, and each output element
 * is written by exactly one chunk in a fixed order, so results are
 * bit-identical whatever `threads` is.  No function here keeps state.
 */
#include "model/common.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

int32_t model__unit_of(const struct vg_units *u, double x, double y,
                       int32_t area)
{
    if (u->kind == VG_UNITS_AREAS)
        return (area >= 0 && (size_t)area < u->n) ? area : -1;
    if (!(u->cell > 0) || !isfinite(x) || !isfinite(y) || !u->cell_unit)
        return -1;
    double fc = floor((x - u->x0) / u->cell), fr = floor((y - u->y0) / u->cell);
    if (fc < 0 || fr < 0 || fc >= u->nx || fr >= u->ny)
        return -1;
    return u->cell_unit[(size_t)fr * (size_t)u->nx + (size_t)fc];
}

enum vg_err model__units_of(const struct vg_units *u,
                            const struct vg_events *ev, size_t n,
                            int32_t **out, struct vg_diag *d)
{
    int32_t *a = vg_malloc((n ? n : 1) * sizeof *a);
    if (!a)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory (%zu events)", n);
    for (size_t k = 0; k < n; k++)
        a[k] = model__unit_of(u, ev->x[k], ev->y[k], ev->area ? ev->area[k] : -1);
    *out = a;
    return VG_OK;
}

double model__unit_m2(const struct vg_units *u, size_t i)
{
    if (u->km2 && u->km2[i] > 0)
        return u->km2[i] * 1e6;
    return u->cell * u->cell;
}

double model__eff_days(const struct vg_tod *tod, const struct vg_tz *tz,
                       const struct vg_window *w)
{
    return 7.0 * vg_tod_share(tod, tz, w->start, w->end);
}

enum vg_err model__check_input(const struct vg_model_input *in,
                               const char *model, struct vg_diag *d)
{
    if (!in || !in->ev || !in->units || !in->tz)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "%s: events, units and time zone are required", model);
    if (in->units->n == 0)
        return vg_fail(d, VG_USAGE, "", 0, 0, "%s: no units to forecast", model);
    if (in->units->kind == VG_UNITS_GRID &&
        (!(in->units->cell > 0) || !in->units->cell_unit || in->units->nx <= 0 ||
         in->units->ny <= 0))
        return vg_fail(d, VG_USAGE, "", 0, 0, "%s: grid units lack geometry", model);
    return VG_OK;
}

size_t model__visible(const struct vg_model_input *in)
{
    return vg_events_before(in->ev, in->t_cut);
}

/* ---- deterministic parallel-for ---- */

struct par {
    void (*fn)(void *, size_t);
    void *ctx;
    size_t nchunks, next;
    pthread_mutex_t mu;
};

static void *par_worker(void *arg)
{
    struct par *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t c = p->next++;
        pthread_mutex_unlock(&p->mu);
        if (c >= p->nchunks)
            break;
        p->fn(p->ctx, c);
    }
    return NULL;
}

void model__parallel(int threads, size_t nchunks,
                     void (*fn)(void *ctx, size_t chunk), void *ctx)
{
    pthread_t tid[64];
    int nt = threads < 1 ? 1 : threads > 64 ? 64 : threads, started = 0;
    if ((size_t)nt > nchunks)
        nt = (int)(nchunks ? nchunks : 1);
    struct par p = {fn, ctx, nchunks, 0, PTHREAD_MUTEX_INITIALIZER};
    for (int i = 1; i < nt; i++)
        if (pthread_create(&tid[started], NULL, par_worker, &p) == 0)
            started++;
    par_worker(&p); /* the caller works too; if threads failed it does all */
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&p.mu);
}

void model__top_insert(struct vg_contrib *out, size_t *n, size_t max,
                       const struct vg_contrib *c)
{
    if (max == 0)
        return;
    if (*n == max && out[max - 1].weight >= c->weight)
        return;
    size_t j = *n < max ? (*n)++ : max - 1;
    while (j > 0 && out[j - 1].weight < c->weight) {
        out[j] = out[j - 1];
        j--;
    }
    out[j] = *c;
}

void model__date(const struct vg_tz *tz, int64_t t, char *buf, size_t cap)
{
    struct vg_civil c;
    int32_t off;
    vg_tz_to_local(tz, t, &c, &off);
    snprintf(buf, cap, "%04d-%02d-%02d", c.year, c.month, c.day);
}

/* ---- kernels ---- */

double model__kern(const struct model__kernel *k, double dist)
{
    if (dist > k->radius)
        return 0;
    switch (k->type) {
    case 0:
        return exp(-0.5 * dist * dist / (k->h * k->h)) / (2 * M_PI * k->h * k->h);
    case 1: {
        double r = dist / k->h, q = 1 - r * r;
        return r < 1 ? 3.0 / (M_PI * k->h * k->h) * q * q : 0;
    }
    default:
        return 1.0 / (1.0 + dist / k->cellsize);
    }
}

struct spread_ctx {
    const struct vg_units *u;
    const struct vg_events *ev;
    size_t lo, hi;
    const double *wgt;
    const struct model__kernel *k;
    double *acc;
    int32_t rows_per_chunk;
};

static void spread_chunk(void *arg, size_t chunk)
{
    struct spread_ctx *s = arg;
    const struct vg_units *u = s->u;
    int32_t r0 = (int32_t)chunk * s->rows_per_chunk;
    int32_t r1 = r0 + s->rows_per_chunk > u->ny ? u->ny : r0 + s->rows_per_chunk;
    double R = s->k->radius;
    for (size_t e = s->lo; e < s->hi; e++) {
        double w = s->wgt[e - s->lo];
        if (w == 0)
            continue;
        double x = s->ev->x[e], y = s->ev->y[e];
        double fr0 = floor((y - R - u->y0) / u->cell), fr1 = floor((y + R - u->y0) / u->cell);
        if (fr1 < r0 || fr0 >= r1)
            continue;
        double fc0 = floor((x - R - u->x0) / u->cell), fc1 = floor((x + R - u->x0) / u->cell);
        int32_t ra = fr0 < r0 ? r0 : (int32_t)fr0, rb = fr1 >= r1 ? r1 - 1 : (int32_t)fr1;
        int32_t ca = fc0 < 0 ? 0 : (int32_t)fc0;
        int32_t cb = fc1 >= u->nx ? u->nx - 1 : (int32_t)fc1;
        for (int32_t r = ra; r <= rb; r++) {
            double dy = u->y0 + (r + 0.5) * u->cell - y;
            for (int32_t c = ca; c <= cb; c++) {
                int32_t unit = u->cell_unit[(size_t)r * (size_t)u->nx + (size_t)c];
                if (unit < 0)
                    continue;
                double dx = u->x0 + (c + 0.5) * u->cell - x;
                double dist = sqrt(dx * dx + dy * dy);
                if (dist <= R)
                    s->acc[unit] += w * model__kern(s->k, dist);
            }
        }
    }
}

void model__spread(const struct vg_units *u, const struct vg_events *ev,
                   size_t lo, size_t hi, const double *wgt,
                   const struct model__kernel *k, int threads, double *acc)
{
    if (u->kind == VG_UNITS_AREAS) {
        for (size_t i = 0; i < u->n; i++)
            for (size_t e = lo; e < hi; e++) {
                if (wgt[e - lo] == 0)
                    continue;
                double dx = u->cx[i] - ev->x[e], dy = u->cy[i] - ev->y[e];
                double dist = sqrt(dx * dx + dy * dy);
                if (dist <= k->radius)
                    acc[i] += wgt[e - lo] * model__kern(k, dist);
            }
        return;
    }
    struct spread_ctx s = {u, ev, lo, hi, wgt, k, acc, 16};
    size_t nchunks = (size_t)((u->ny + s.rows_per_chunk - 1) / s.rows_per_chunk);
    model__parallel(threads, nchunks, spread_chunk, &s);
}

/* Centre of unit i where kernels are evaluated: the cell's square centre
 * for grids (the kernel estimate is read at cell centres), the centroid for
 * areas. */
static void unit_point(const struct vg_units *u, size_t i, double *x, double *y)
{
    if (u->kind == VG_UNITS_GRID && u->unit_col && u->unit_row) {
        *x = u->x0 + (u->unit_col[i] + 0.5) * u->cell;
        *y = u->y0 + (u->unit_row[i] + 0.5) * u->cell;
    } else {
        *x = u->cx[i];
        *y = u->cy[i];
    }
}

size_t model__spread_explain(const struct vg_model_input *in,
                             size_t lo, size_t hi, const double *wgt,
                             const struct model__kernel *k, double scale,
                             size_t i, struct vg_contrib *out, size_t max)
{
    size_t n = 0;
    double px, py;
    unit_point(in->units, i, &px, &py);
    for (size_t e = lo; e < hi; e++) {
        if (wgt[e - lo] == 0)
            continue;
        double dx = px - in->ev->x[e], dy = py - in->ev->y[e];
        double dist = sqrt(dx * dx + dy * dy);
        if (dist > k->radius)
            continue;
        struct vg_contrib c;
        char date[16];
        c.weight = wgt[e - lo] * model__kern(k, dist) * scale;
        model__date(in->tz, in->ev->t[e], date, sizeof date);
        snprintf(c.what, sizeof c.what, "event #%lld on %s, %.0f m away",
                 (long long)in->ev->id[e], date, dist);
        model__top_insert(out, &n, max, &c);
    }
    return n;
}

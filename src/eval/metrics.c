/*
 * metrics.c — per-window forecast scores (definitions in metrics.h).
 *
 * The ranking is a stable LSD radix sort on the complemented IEEE bits of
 * the non-negative density, applied to units in index order: complementing
 * turns "density descending" into "key ascending", and stability keeps
 * ties in index order, which is exactly the documented tie rule, in O(n).
 * Memory: everything lives in the caller's vg_metrics_ws.
 */
#include "eval/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

enum { RADIX_BITS = 11, RADIX = 1 << RADIX_BITS };

enum vg_err vg_metrics_ws_init(struct vg_metrics_ws *ws, size_t n)
{
    memset(ws, 0, sizeof *ws);
    size_t m = n ? n : 1;
    ws->order = vg_calloc(m, sizeof *ws->order);
    ws->tmp = vg_calloc(m, sizeof *ws->tmp);
    ws->key = vg_calloc(m, sizeof *ws->key);
    ws->key2 = vg_calloc(m, sizeof *ws->key2);
    ws->mark = vg_calloc(m, sizeof *ws->mark);
    if (!ws->order || !ws->tmp || !ws->key || !ws->key2 || !ws->mark) {
        vg_metrics_ws_free(ws);
        return VG_NOMEM;
    }
    ws->cap = n;
    return VG_OK;
}

void vg_metrics_ws_free(struct vg_metrics_ws *ws)
{
    if (ws == NULL)
        return;
    vg_free(ws->order);
    vg_free(ws->tmp);
    vg_free(ws->key);
    vg_free(ws->key2);
    vg_free(ws->mark);
    memset(ws, 0, sizeof *ws);
}

static uint64_t desc_key(double v)
{
    uint64_t u;
    if (!(v > 0) || isnan(v))
        v = 0; /* also turns -0.0 into +0.0 */
    memcpy(&u, &v, sizeof u);
    return ~u;
}

/* Stable radix sort of (ws->key[i], ws->order[i]), i < n, by key ascending. */
static void radix_sort(struct vg_metrics_ws *ws, size_t n)
{
    static const int shifts[] = {0, 11, 22, 33, 44, 55};
    uint64_t *k = ws->key, *k2 = ws->key2;
    int32_t *o = ws->order, *o2 = ws->tmp;
    for (size_t p = 0; p < sizeof shifts / sizeof shifts[0]; p++) {
        size_t cnt[RADIX] = {0};
        int sh = shifts[p];
        for (size_t i = 0; i < n; i++)
            cnt[(k[i] >> sh) & (RADIX - 1)]++;
        if (n == 0 || cnt[(k[0] >> sh) & (RADIX - 1)] == n)
            continue; /* every key has the same digit: nothing to do */
        size_t sum = 0;
        for (size_t b = 0; b < RADIX; b++) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t dst = cnt[(k[i] >> sh) & (RADIX - 1)]++;
            k2[dst] = k[i];
            o2[dst] = o[i];
        }
        uint64_t *tk = k; k = k2; k2 = tk;
        int32_t *to = o; o = o2; o2 = to;
    }
    if (o != ws->order) {
        memcpy(ws->order, o, n * sizeof *o);
        memcpy(ws->key, k, n * sizeof *k);
    }
}

void vg_metrics_rank(struct vg_metrics_ws *ws, const double *expected,
                     const double *km2, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ws->order[i] = (int32_t)i;
        ws->key[i] = km2[i] > 0 ? desc_key(expected[i] / km2[i]) : UINT64_MAX;
    }
    radix_sort(ws, n);
}

void vg_metrics_captured(const int32_t *order, size_t norder,
                         const double *km2, const double *count,
                         const double *areas, size_t nareas, double *hits)
{
    double cum_area = 0, cum_hits = 0;
    size_t j = 0, r = 0;
    while (j < nareas) {
        double target = areas[j];
        /* take whole units while they fit */
        while (r < norder) {
            double a = km2[order[r]];
            if (a <= 0) {
                r++;
                continue;
            }
            if (cum_area + a > target)
                break;
            cum_area += a;
            cum_hits += count[order[r]];
            r++;
        }
        double part = 0;
        if (r < norder && km2[order[r]] > 0 && target > cum_area)
            part = count[order[r]] * ((target - cum_area) / km2[order[r]]);
        hits[j++] = cum_hits + part;
    }
}

size_t vg_metrics_prefix_len(const int32_t *order, size_t norder,
                             const double *km2, double area)
{
    double cum = 0;
    size_t r = 0;
    while (r < norder && cum < area) {
        if (km2[order[r]] > 0)
            cum += km2[order[r]];
        r++;
    }
    return r;
}

void vg_metrics_best(struct vg_metrics_ws *ws, const double *count,
                     const double *km2, size_t n, const double *areas,
                     size_t nareas, double *best)
{
    /* Only units with events can add to the best; rank those alone. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (count[i] > 0 && km2[i] > 0) {
            ws->order[m] = (int32_t)i;
            ws->key[m] = desc_key(count[i] / km2[i]);
            m++;
        }
    radix_sort(ws, m);
    vg_metrics_captured(ws->order, m, km2, count, areas, nareas, best);
}

double vg_metrics_brier_sum(const double *expected, const double *count,
                            size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        double lam = expected[i] > 0 ? expected[i] : 0;
        double p = -expm1(-lam), o = count[i] >= 1 ? 1.0 : 0.0;
        s += (p - o) * (p - o);
    }
    return s;
}

double vg_metrics_loglik_sum(const double *expected, const double *count,
                             size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        double lam = expected[i] > 0 ? expected[i] : 0, k = count[i];
        s -= lam;
        if (k > 0) {
            double l = lam > VG_METRICS_LAMBDA_FLOOR ? lam : VG_METRICS_LAMBDA_FLOOR;
            s += k * log(l) - lgamma(k + 1);
        }
    }
    return s;
}

void vg_metrics_calib_add(const int32_t *order, size_t n,
                          const double *expected, const double *count,
                          struct vg_calib *acc)
{
    for (size_t r = 0; r < n; r++) {
        size_t b = r * VG_CALIB_BINS / n, i = (size_t)order[r];
        acc->pred[b] += expected[i] > 0 ? expected[i] : 0;
        acc->obs[b] += count[i];
        acc->n[b] += 1;
    }
}

/* Flagged fraction of each unit of `o` at `area`, via callback-free walk:
 * writes f into mark[] when `set`, else accumulates min(f, mark) * km2. */
static double walk(const int32_t *o, size_t no, const double *km2,
                   double area, double *mark, int set, double *flagged)
{
    double cum = 0, both = 0;
    for (size_t r = 0; r < no && cum < area; r++) {
        size_t i = (size_t)o[r];
        double a = km2[i];
        if (a <= 0)
            continue;
        double f = cum + a <= area ? 1.0 : (area - cum) / a;
        cum += f * a;
        if (set)
            mark[i] = f;
        else
            both += (f < mark[i] ? f : mark[i]) * a;
    }
    *flagged = cum;
    return both;
}

double vg_metrics_overlap(const int32_t *a, size_t na, const int32_t *b,
                          size_t nb, const double *km2, double area,
                          double *mark)
{
    double fa, fb;
    walk(a, na, km2, area, mark, 1, &fa);
    double both = walk(b, nb, km2, area, mark, 0, &fb);
    for (size_t r = 0; r < na; r++)
        mark[a[r]] = 0;
    return fb > 0 ? both / fb : 0;
}

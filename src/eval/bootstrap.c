/*
 * bootstrap.c — block bootstrap of a difference of pooled ratios.
 *
 * Windows are first summed per block (Σa, Σb, Σden per week); a replicate
 * draws nblocks block indices uniformly with replacement from a splitmix64
 * stream and adds their sums.  Work is O(reps * nblocks).  Memory: the
 * per-block sums and the replicate values, freed before returning.
 */
#include "eval/bootstrap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

int64_t vg_bootstrap_week(int64_t day)
{
    /* 1970-01-01 was a Thursday, so Monday-based weeks are (day + 3) / 7
     * with floor division. */
    int64_t x = day + 3;
    return x >= 0 ? x / 7 : -((-x + 6) / 7);
}

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int cmp_pair(const void *pa, const void *pb)
{
    const int64_t *x = pa, *y = pb; /* (block, index) */
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

static int cmp_double(const void *pa, const void *pb)
{
    double x = *(const double *)pa, y = *(const double *)pb;
    return x < y ? -1 : x > y;
}

double vg_bootstrap_quantile(const double *sorted, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/* Percentile interval of v[0..n) after dropping non-finite values. */
static void interval(double *v, size_t n, double level, double *lo, double *hi)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            v[m++] = v[i];
    qsort(v, m, sizeof *v, cmp_double);
    *lo = vg_bootstrap_quantile(v, m, (1 - level) / 2);
    *hi = vg_bootstrap_quantile(v, m, 1 - (1 - level) / 2);
}

enum vg_err vg_bootstrap_diff(const double *a, const double *b,
                              const double *den, const int64_t *block,
                              size_t n, double scale, double level,
                              size_t reps, uint64_t seed,
                              struct vg_boot_result *out, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    int64_t *pair = NULL;
    double *sa = NULL, *sb = NULL, *sd = NULL, *ra = NULL, *rr = NULL;
    memset(out, 0, sizeof *out);
    if (n == 0 || !(level > 0 && level < 1) || reps < 100 || reps > 1000000) {
        e = vg_fail(d, VG_RANGE, "", 0, 0,
                    "bootstrap needs windows (got %zu), 0 < level < 1 (got %g) "
                    "and 100..1000000 replicates (got %zu)", n, level, reps);
        goto out;
    }
    pair = vg_calloc(n, 2 * sizeof *pair);
    sa = vg_calloc(n, sizeof *sa), sb = vg_calloc(n, sizeof *sb);
    sd = vg_calloc(n, sizeof *sd);
    ra = vg_calloc(reps, sizeof *ra), rr = vg_calloc(reps, sizeof *rr);
    if (!pair || !sa || !sb || !sd || !ra || !rr) {
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "bootstrap: out of memory");
        goto out;
    }
    for (size_t w = 0; w < n; w++)
        pair[2 * w] = block[w], pair[2 * w + 1] = (int64_t)w;
    qsort(pair, n, 2 * sizeof *pair, cmp_pair);
    size_t nb = 0;
    double ta = 0, tb = 0, td = 0;
    for (size_t k = 0; k < n; k++) {
        if (k > 0 && pair[2 * k] != pair[2 * k - 2])
            nb++;
        size_t w = (size_t)pair[2 * k + 1];
        sa[nb] += a[w], sb[nb] += b[w], sd[nb] += den[w];
    }
    nb++;
    for (size_t k = 0; k < nb; k++)
        ta += sa[k], tb += sb[k], td += sd[k];
    out->est = td > 0 ? scale * (ta - tb) / td : NAN;
    out->rel = tb > 0 ? ta / tb - 1 : NAN;
    out->nblocks = nb;
    out->reps = reps;
    uint64_t s = seed;
    for (size_t r = 0; r < reps; r++) {
        double xa = 0, xb = 0, xd = 0;
        for (size_t k = 0; k < nb; k++) {
            size_t j = (size_t)((double)(splitmix64(&s) >> 11) * 0x1p-53 * (double)nb);
            xa += sa[j], xb += sb[j], xd += sd[j];
        }
        ra[r] = xd > 0 ? scale * (xa - xb) / xd : NAN;
        rr[r] = xb > 0 ? xa / xb - 1 : NAN;
    }
    interval(ra, reps, level, &out->lo, &out->hi);
    interval(rr, reps, level, &out->rel_lo, &out->rel_hi);
out:
    vg_free(pair), vg_free(sa), vg_free(sb), vg_free(sd);
    vg_free(ra), vg_free(rr);
    return e;
}

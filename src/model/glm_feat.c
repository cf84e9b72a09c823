/*
 * glm_feat.c — features of the Poisson GLM (see glm.c for the model).
 * Counts over [d − k, d) come from two binary searches in the unit's sorted
 * list of event days, so a feature costs O(log n) and no dense design is
 * ever built.  Zero rows are sampled with a splitmix64 hash of
 * (unit, day, seed): the sample does not depend on thread count or order.
 */
#include "model/glm_feat.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "model/calendar.h"
#include "model/common.h"

static const char *const names[GLM_NB] = {
    "intercept", "lag_7d", "lag_28d", "lag_365d", "neighbours_28d", "kde_365d",
    "tue", "wed", "thu", "fri", "sat", "sun",
    "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    "public_holiday", "school_holiday", "tmax_c", "tmax_missing", "log1p_prcp_mm",
    "prcp_missing", "log1p_snow_mm", "snow_missing"};

const char *glm__feat_name(int j)
{
    return j >= 0 && j < GLM_NB ? names[j] : "?";
}

const char *glm__coef_name(int j)
{
    return glm__feat_name(j);
}

int32_t glm__day_of(const struct vg_tz *tz, int64_t t)
{
    return (int32_t)vg_tz_local_day(tz, t);
}

void glm__hist_free(struct glm_hist *h)
{
    vg_free(h->start);
    vg_free(h->day);
    vg_free(h->col);
    vg_free(h->row);
    memset(h, 0, sizeof *h);
}

enum vg_err glm__hist(const struct vg_model_input *in, size_t vis,
                      struct glm_hist *h, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    const struct vg_units *u = in->units;
    int32_t *unit = NULL;
    size_t *fill = NULL;
    memset(h, 0, sizeof *h);
    h->nu = u->n;
    h->start = vg_calloc(u->n + 1, sizeof *h->start);
    h->day = vg_malloc((vis ? vis : 1) * sizeof *h->day);
    h->col = vg_malloc(u->n * sizeof *h->col);
    h->row = vg_malloc(u->n * sizeof *h->row);
    fill = vg_malloc((u->n + 1) * sizeof *fill);
    if (!h->start || !h->day || !h->col || !h->row || !fill) {
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "glm: out of memory");
        goto out;
    }
    if ((e = model__units_of(u, in->ev, vis, &unit, d)) != VG_OK)
        goto out;
    for (size_t k = 0; k < vis; k++)
        if (unit[k] >= 0)
            h->start[unit[k] + 1]++;
    for (size_t i = 0; i < u->n; i++)
        h->start[i + 1] += h->start[i];
    memcpy(fill, h->start, (u->n + 1) * sizeof *fill);
    /* local day changes only when the offset or the date does: convert each
     * event (fast enough: a few hundred thousand calls) */
    for (size_t k = 0; k < vis; k++)
        if (unit[k] >= 0)
            h->day[fill[unit[k]]++] = glm__day_of(in->tz, in->ev->t[k]);
    h->first_day = vis ? glm__day_of(in->tz, in->ev->t[0]) : 0;
    for (size_t i = 0; i < u->n; i++) {
        if (u->kind != VG_UNITS_GRID) {
            h->col[i] = h->row[i] = -1;
        } else if (u->unit_col && u->unit_row) {
            h->col[i] = u->unit_col[i];
            h->row[i] = u->unit_row[i];
        } else {
            h->col[i] = (int32_t)floor((u->cx[i] - u->x0) / u->cell);
            h->row[i] = (int32_t)floor((u->cy[i] - u->y0) / u->cell);
        }
    }
out:
    vg_free(unit);
    vg_free(fill);
    if (e)
        glm__hist_free(h);
    return e;
}

/* index of the first element >= v in a[0..n) */
static size_t lower(const int32_t *a, size_t n, int32_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (a[m] < v)
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
}

static double count(const struct glm_hist *h, size_t u, int32_t a, int32_t b)
{
    const int32_t *p = h->day + h->start[u];
    size_t n = h->start[u + 1] - h->start[u];
    if (n == 0)
        return 0;
    return (double)(lower(p, n, b) - lower(p, n, a));
}

/* exp(-(dr² + dc²)/2) for dr² + dc² = 0..8, computed once (the same
 * values as computing it per neighbour, 25 exp calls fewer per row) */
static double gauss[9];
static pthread_once_t gauss_once = PTHREAD_ONCE_INIT;

static void gauss_init(void)
{
    for (int k = 0; k < 9; k++)
        gauss[k] = exp(-0.5 * k);
}

void glm__row_feats(const struct vg_units *u, const struct glm_hist *h,
                    size_t unit, int32_t day, float *z)
{
    z[0] = (float)log1p(count(h, unit, day - 7, day));
    z[1] = (float)log1p(count(h, unit, day - 28, day));
    double c365 = count(h, unit, day - 365, day);
    z[2] = (float)log1p(c365);
    if (u->kind != VG_UNITS_GRID) {
        z[3] = 0;
        z[4] = (float)log1p(c365);
        return;
    }
    pthread_once(&gauss_once, gauss_init);
    double nb = 0, kde = 0;
    int32_t c0 = h->col[unit], r0 = h->row[unit];
    for (int dr = -2; dr <= 2; dr++)
        for (int dc = -2; dc <= 2; dc++) {
            int32_t r = r0 + dr, c = c0 + dc;
            if (r < 0 || c < 0 || r >= u->ny || c >= u->nx)
                continue;
            int32_t v = u->cell_unit[(size_t)r * (size_t)u->nx + (size_t)c];
            if (v < 0)
                continue;
            double g = gauss[dr * dr + dc * dc];
            kde += g * (dr == 0 && dc == 0 ? c365 : count(h, (size_t)v, day - 365, day));
            if ((dr || dc) && dr >= -1 && dr <= 1 && dc >= -1 && dc <= 1)
                nb += count(h, (size_t)v, day - 28, day);
        }
    z[3] = (float)log1p(nb);
    z[4] = (float)log1p(kde);
}

static double weather(const struct vg_weather *w, const double *col, int32_t day)
{
    if (!w || !col || day < w->day0 || (uint64_t)(day - w->day0) >= w->ndays)
        return NAN;
    return col[day - w->day0];
}

/* raw weather value k (0 tmax, 1 log1p prcp, 2 log1p snow) or NAN */
static double weather_raw(const struct vg_weather *w, int k, int32_t day)
{
    if (!w)
        return NAN;
    double v = weather(w, k == 0 ? w->tmax_c : k == 1 ? w->prcp_mm : w->snow_mm, day);
    if (k > 0 && isfinite(v))
        v = log1p(v < 0 ? 0 : v);
    return v;
}

void glm__day_feats(const struct vg_model_input *in, const struct glm_scale *sc,
                    int32_t day, double *out)
{
    int y, m, dd;
    memset(out, 0, GLM_NDAYF * sizeof *out);
    int wd = vg_weekday_of_days(day);
    if (wd > 1)
        out[GLM_DF_DOW + wd - 2] = 1;
    vg_civil_from_days(day, &y, &m, &dd);
    if (m > 1)
        out[GLM_DF_MONTH + m - 2] = 1;
    out[GLM_DF_PUB] = vg_calendar_public(in->cal, day);
    out[GLM_DF_SCHOOL] = vg_calendar_school(in->cal, day);
    for (int k = 0; k < 3; k++) {
        double v = weather_raw(in->weather, k, day);
        if (isfinite(v))
            out[GLM_DF_TMAX + 2 * k] = (v - sc->wmean[k]) / sc->wsd[k];
        else
            out[GLM_DF_TMAX + 2 * k + 1] = 1;
    }
}

void glm__rows_free(struct glm_rows *r)
{
    vg_free(r->z);
    vg_free(r->day);
    vg_free(r->unit);
    vg_free(r->w);
    vg_free(r->y);
    memset(r, 0, sizeof *r);
}

/* splitmix64: one stream per (unit, seed) for the zero-row sampling. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double next01(uint64_t *st)
{
    *st += 0x9E3779B97F4A7C15ull;
    return ((double)(mix64(*st) >> 11) + 1.0) * (1.0 / 9007199254740992.0); /* (0, 1] */
}

/* The day (relative to dstart) of the next sampled zero candidate after
 * `cur`: Bernoulli(rate) trials over consecutive days have geometric gaps,
 * so sampling costs O(kept rows), not O(unit-days). */
static int64_t next_zero(uint64_t *st, double lrate, double rate, int64_t cur)
{
    if (rate <= 0)
        return INT64_MAX;
    if (rate >= 1)
        return cur + 1;
    double gap = floor(log(next01(st)) / lrate);
    return gap > 1e12 ? INT64_MAX : cur + 1 + (int64_t)gap;
}

struct feat_ctx {
    const struct vg_units *u;
    const struct glm_hist *h;
    struct glm_rows *r;
    int32_t dstart;
};

static void feat_chunk(void *arg, size_t c)
{
    struct feat_ctx *f = arg;
    size_t a = f->r->n * c / 64, b = f->r->n * (c + 1) / 64;
    for (size_t i = a; i < b; i++)
        glm__row_feats(f->u, f->h, f->r->unit[i], f->dstart + f->r->day[i],
                       f->r->z + i * GLM_NROWF);
}

/* Every unit-day with events, plus each zero unit-day with probability
 * `rate` (0: positives only), in (unit, day) order; r == NULL only counts.
 * The zero sample depends only on (unit, day - dstart, seed), never on the
 * events, so adding later events does not move it. */
static size_t walk(const struct glm_hist *h, int32_t dstart, int32_t dend,
                   double rate, uint64_t seed, struct glm_rows *r)
{
    size_t n = 0;
    int64_t nd = (int64_t)dend - dstart;
    double lrate = rate > 0 && rate < 1 ? log1p(-rate) : 0;
    for (size_t u = 0; u < h->nu; u++) {
        const int32_t *p = h->day + h->start[u];
        size_t m = h->start[u + 1] - h->start[u];
        size_t k = lower(p, m, dstart);
        uint64_t st = mix64((uint64_t)u * 0xD1B54A32D192ED03ull ^ (seed + 1) * 0x9E3779B97F4A7C15ull);
        int64_t z = next_zero(&st, lrate, rate, -1);
        for (;;) {
            int64_t pd = k < m && p[k] < dend ? (int64_t)p[k] - dstart : INT64_MAX;
            int64_t d = pd < z ? pd : z;
            if (d >= nd)
                break;
            size_t y = 0;
            while (k < m && (int64_t)p[k] - dstart == d) {
                y++;
                k++;
            }
            if (z == d)
                z = next_zero(&st, lrate, rate, z);
            double w = y ? 1 : 1 / rate;
            if (r) {
                r->unit[n] = (uint32_t)u;
                r->day[n] = (int32_t)d;
                r->w[n] = (float)w;
                r->y[n] = (float)y;
                r->wtot += w;
                r->ytot += (double)y * w;
            }
            n++;
        }
    }
    return n;
}

enum vg_err glm__rows(const struct vg_model_input *in, const struct glm_hist *h,
                      int32_t dstart, int32_t dend, double zero_ratio,
                      uint64_t seed, struct glm_rows *r, struct vg_diag *d)
{
    memset(r, 0, sizeof *r);
    r->threads = in->threads;
    size_t npos = walk(h, dstart, dend, 0, seed, NULL);
    double total = (double)h->nu * (double)(dend - dstart);
    if (npos == 0)
        return vg_fail(d, VG_MODEL, "", 0, 0, "glm: no event in the training period");
    double nzero = total - (double)npos;
    r->rate = nzero > 0 ? fmin(1.0, zero_ratio * (double)npos / nzero) : 1;
    size_t cap = walk(h, dstart, dend, r->rate, seed, NULL); /* exact count */
    if (cap > (size_t)200000000)
        return vg_fail(d, VG_LIMIT, "", 0, 0, "glm: %zu sampled rows exceed 200 million", cap);
    r->z = vg_malloc(cap * GLM_NROWF * sizeof *r->z);
    r->day = vg_malloc(cap * sizeof *r->day);
    r->unit = vg_malloc(cap * sizeof *r->unit);
    r->w = vg_malloc(cap * sizeof *r->w);
    r->y = vg_malloc(cap * sizeof *r->y);
    if (!r->z || !r->day || !r->unit || !r->w || !r->y) {
        glm__rows_free(r);
        return vg_fail(d, VG_NOMEM, "", 0, 0, "glm: out of memory (%zu rows)", cap);
    }
    r->n = walk(h, dstart, dend, r->rate, seed, r);
    struct feat_ctx f = {in->units, h, r, dstart};
    model__parallel(in->threads, 64, feat_chunk, &f);
    return VG_OK;
}

void glm__scale_fit(const struct vg_model_input *in, const struct glm_rows *r,
                    int32_t dstart, int32_t dend, struct glm_scale *sc)
{
    for (int j = 0; j < GLM_NROWF; j++) {
        double s = 0, s2 = 0;
        for (size_t i = 0; i < r->n; i++) {
            double z = r->z[i * GLM_NROWF + j];
            s += r->w[i] * z;
            s2 += r->w[i] * z * z;
        }
        double m = s / r->wtot, v = s2 / r->wtot - m * m;
        sc->rmean[j] = m;
        sc->rsd[j] = v > 1e-12 ? sqrt(v) : 1;
    }
    for (int k = 0; k < 3; k++) {
        double s = 0, s2 = 0, n = 0;
        for (int32_t day = dstart; day < dend; day++) {
            double v = weather_raw(in->weather, k, day);
            if (isfinite(v)) {
                s += v;
                s2 += v * v;
                n++;
            }
        }
        double m = n > 0 ? s / n : 0, var = n > 0 ? s2 / n - m * m : 0;
        sc->wmean[k] = m;
        sc->wsd[k] = var > 1e-12 ? sqrt(var) : 1;
    }
}

void glm__standardise_rows(struct glm_rows *r, const struct glm_scale *sc)
{
    for (size_t i = 0; i < r->n; i++)
        for (int j = 0; j < GLM_NROWF; j++) {
            float *z = r->z + i * GLM_NROWF + j;
            *z = (float)((*z - sc->rmean[j]) / sc->rsd[j]);
        }
}

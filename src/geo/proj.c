/*
 * proj.c — PROJ transformations (see proj.h).
 *
 * Each vg_proj owns one PJ_CONTEXT, one PJ normalised for visualisation
 * (x = lon, y = lat for geographic CRSs) and a mutex that serialises use of
 * the PJ, because a PJ and its context are not safe to share between
 * threads.  Invariant: ctx, pj, src and dst are all non-NULL once
 * vg_proj_new returns VG_OK.  The object owns everything it points to.
 */
#include "geo/proj.h"

#include <math.h>
#include <proj.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

#define PROJ_MAX_CRS_TEXT (64u * 1024u)

struct vg_proj {
    PJ_CONTEXT *ctx;
    PJ *pj;
    char *src, *dst;
    pthread_mutex_t mu;
};

/* Start of `s` for messages: WKT texts are long, show the first 60 bytes. */
static void crs_label(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s);
    if (n > 60)
        snprintf(out, cap, "%.60s...", s);
    else
        snprintf(out, cap, "%s", s);
}

enum vg_err vg_proj_new(const char *src, const char *dst, struct vg_proj **out,
                        struct vg_diag *d)
{
    enum vg_err rc = VG_OK;
    struct vg_proj *p = NULL;
    PJ *raw = NULL;
    char ls[80], ld[80];

    *out = NULL;
    if (src == NULL || dst == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "missing CRS");
    crs_label(src, ls, sizeof ls);
    crs_label(dst, ld, sizeof ld);
    if (strlen(src) > PROJ_MAX_CRS_TEXT || strlen(dst) > PROJ_MAX_CRS_TEXT)
        return vg_fail(d, VG_LIMIT, "", 0, 0,
                       "CRS text longer than %u bytes", PROJ_MAX_CRS_TEXT);
    p = vg_calloc(1, sizeof *p);
    if (p == NULL) {
        rc = vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory creating %s -> %s", ls, ld);
        goto out;
    }
    pthread_mutex_init(&p->mu, NULL);
    p->src = vg_strdup(src);
    p->dst = vg_strdup(dst);
    p->ctx = proj_context_create();
    if (p->src == NULL || p->dst == NULL || p->ctx == NULL) {
        rc = vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory creating %s -> %s", ls, ld);
        goto out;
    }
    proj_log_level(p->ctx, PJ_LOG_NONE);
    raw = proj_create_crs_to_crs(p->ctx, src, dst, NULL);
    if (raw == NULL) {
        int e = proj_context_errno(p->ctx);
        rc = vg_fail(d, VG_PROJ, "", 0, 0,
                     "cannot transform \"%s\" to \"%s\": %s (expected an "
                     "\"EPSG:nnnn\" code, a PROJ string or WKT)",
                     ls, ld, e ? proj_context_errno_string(p->ctx, e) : "unknown CRS");
        goto out;
    }
    p->pj = proj_normalize_for_visualization(p->ctx, raw);
    if (p->pj == NULL) {
        rc = vg_fail(d, VG_PROJ, "", 0, 0,
                     "cannot normalise axis order of \"%s\" -> \"%s\"", ls, ld);
        goto out;
    }
out:
    proj_destroy(raw);
    if (rc != VG_OK)
        vg_proj_free(p);
    else
        *out = p;
    return rc;
}

enum vg_err vg_proj_clone(const struct vg_proj *p, struct vg_proj **out,
                          struct vg_diag *d)
{
    return vg_proj_new(p->src, p->dst, out, d);
}

void vg_proj_free(struct vg_proj *p)
{
    if (p == NULL)
        return;
    proj_destroy(p->pj);
    if (p->ctx != NULL)
        proj_context_destroy(p->ctx);
    pthread_mutex_destroy(&p->mu);
    vg_free(p->src);
    vg_free(p->dst);
    vg_free(p);
}

const char *vg_proj_src(const struct vg_proj *p) { return p->src; }
const char *vg_proj_dst(const struct vg_proj *p) { return p->dst; }

/* Transform with arbitrary strides; failed points (HUGE_VAL) become NaN. */
static enum vg_err trans_strided(const struct vg_proj *cp, double *x,
                                 double *y, size_t stride, size_t n,
                                 int inverse)
{
    /* The mutex and the PJ are mutable state behind a const handle. */
    struct vg_proj *p = (struct vg_proj *)(uintptr_t)cp;
    size_t bad = 0;
    if (n == 0)
        return VG_OK;
    pthread_mutex_lock(&p->mu);
    proj_errno_reset(p->pj);
    proj_trans_generic(p->pj, inverse ? PJ_INV : PJ_FWD, x, stride * sizeof(double), n,
                       y, stride * sizeof(double), n, NULL, 0, 0, NULL, 0, 0);
    proj_errno_reset(p->pj);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < n; i++) {
        double *xi = x + i * stride, *yi = y + i * stride;
        if (!isfinite(*xi) || !isfinite(*yi)) { /* PROJ marks failures HUGE_VAL */
            *xi = NAN;
            *yi = NAN;
            bad++;
        }
    }
    return bad ? VG_PROJ : VG_OK;
}

enum vg_err vg_proj_trans(const struct vg_proj *p, double *x, double *y,
                          size_t n)
{
    return trans_strided(p, x, y, 1, n, 0);
}

enum vg_err vg_proj_inv(const struct vg_proj *p, double *x, double *y,
                        size_t n)
{
    return trans_strided(p, x, y, 1, n, 1);
}

enum vg_err vg_proj_trans_xy(const struct vg_proj *p, double *xy, size_t n,
                             int inverse)
{
    return trans_strided(p, xy, xy + 1, 2, n, inverse);
}

/* Coarse outline of mainland France (lon, lat), drawn a few km outside the
 * border and coast; Corsica is a separate box.  Good enough to choose a CRS,
 * not to say which country a point is in. */
static const double france[][2] = {
    {2.50, 51.20},  {3.20, 50.85},  {4.20, 50.35},  {4.85, 50.20},
    {5.85, 49.60},  {6.45, 49.55},  {8.25, 49.05},  {7.65, 47.55},
    {6.95, 47.50},  {6.05, 46.45},  {7.10, 45.95},  {6.65, 45.10},
    {7.75, 44.15},  {7.55, 43.70},  {6.60, 42.95},  {4.00, 43.35},
    {3.20, 42.35},  {1.50, 42.40},  {-1.85, 43.30}, {-1.40, 44.60},
    {-1.70, 46.15}, {-2.60, 47.20}, {-4.90, 47.70}, {-4.95, 48.55},
    {-3.00, 48.95}, {-1.60, 48.75}, {-2.00, 49.80}, {0.10, 49.60},
    {1.50, 50.25},  {1.50, 51.00},
};

static int in_france(double lon, double lat)
{
    size_t n = sizeof france / sizeof france[0];
    int in = 0;
    if (lon >= 8.45 && lon <= 9.65 && lat >= 41.3 && lat <= 43.1)
        return 1; /* Corsica */
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double xi = france[i][0], yi = france[i][1];
        double xj = france[j][0], yj = france[j][1];
        if ((yi > lat) != (yj > lat) &&
            lon < xi + (lat - yi) * (xj - xi) / (yj - yi))
            in = !in;
    }
    return in;
}

enum vg_err vg_proj_study_crs(double lon, double lat, char *out, size_t cap)
{
    if (cap < 11)
        return VG_LIMIT;
    out[0] = '\0';
    if (!isfinite(lon) || !isfinite(lat) || lon < -180 || lon > 180 ||
        lat < -90 || lat > 90)
        return VG_RANGE;
    if (in_france(lon, lat)) {
        snprintf(out, cap, "EPSG:2154");
        return VG_OK;
    }
    int zone = (int)floor((lon + 180.0) / 6.0) + 1;
    if (zone > 60)
        zone = 60;
    snprintf(out, cap, "EPSG:32%d%02d", lat >= 0 ? 6 : 7, zone);
    return VG_OK;
}

/*
 * areas.c — area layers and point-in-area lookup (see areas.h).
 *
 * Build: features (lon/lat) -> study CRS -> one GEOS (multi)polygon per
 * area -> km², bounding boxes -> lookup raster (areas_raster.c's job is done
 * here too, in classify()) -> per-area edge buckets by raster row.
 *
 * Lookup raster: cell[r * nx + c] is
 *   >= 0  the area that contains the whole cell (GEOS ContainsProperly of
 *         the cell's box, slightly enlarged, on a prepared geometry),
 *   -1    no area touches the cell,
 *   <= -2 boundary cell k = -2 - value, whose candidate areas are
 *         cand[cand_off[k] .. cand_off[k+1]-1] (GEOS Intersects).
 * Cells are classified top-down: a block of cells is tested as one box and
 * split in two only when it is neither inside one area nor outside all, so
 * GEOS is called about twice per boundary cell, not once per cell.
 *
 * Exact test (boundary cells only): even-odd ray cast towards +x over the
 * edges of the candidate area whose y-range overlaps the point's raster
 * row.  row_of() is monotone in y, so every edge that crosses the line
 * y = py is in py's row bucket.  All of this is read-only after the build,
 * which is what makes vg_areas_locate thread-safe; GEOS prepared geometries
 * are not safe to share between threads (libgeos/geos#825) and are used
 * only while building.
 *
 * Memory: the layer owns every array, the GEOS context and geometries.
 */
#include "geo/areas.h"

#include <geos_c.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "geo/geojson.h"
#include "geo/proj.h"

#define RASTER_SIDE 1024 /* cells on the long side of the bbox */
#define FIELD_MAX 256

struct edges {          /* edges of one area bucketed by raster row */
    int32_t r0, nr;     /* first row, number of rows */
    uint32_t *off;      /* nr + 1 offsets into pt */
    uint32_t *pt;       /* edge = points pt, pt + 1 of the area's pxy */
};

struct vg_areas_impl {
    GEOSContextHandle_t g;
    char gerr[200];
    GEOSGeometry **geom;     /* n, study CRS */
    struct vg_gj_geom *ll;   /* n, lon/lat (same ring layout as pxy) */
    double **pxy;            /* n, study CRS, interleaved */
    struct edges *edges;     /* n */
    double gx0, gy0, ginv, gcell;
    int32_t gnx, gny;
    int32_t *cell;           /* gnx * gny */
    int32_t *cand_off;       /* nbound + 1 */
    int32_t *cand;
    size_t nbound, cap_bound, ncand, cap_cand;
};

static void geos_msg(const char *fmt, ...)
{
    (void)fmt; /* GEOS notices are not errors; ignore them */
}

static void geos_err(const char *msg, void *user)
{
    struct vg_areas_impl *im = user;
    snprintf(im->gerr, sizeof im->gerr, "%s", msg);
}

/* ---------- raster ---------- */

static int32_t col_of(const struct vg_areas_impl *im, double x)
{
    double c = floor((x - im->gx0) * im->ginv);
    return c < 0 ? 0 : c >= im->gnx ? im->gnx - 1 : (int32_t)c;
}

static int32_t row_of(const struct vg_areas_impl *im, double y)
{
    double r = floor((y - im->gy0) * im->ginv);
    return r < 0 ? 0 : r >= im->gny ? im->gny - 1 : (int32_t)r;
}

struct classifier {
    struct vg_areas *a;
    const GEOSPreparedGeometry **prep;
    GEOSSTRtree *tree;
    int32_t *hits;          /* scratch: STRtree results */
    size_t nhits;
    enum vg_err rc;
};

static void tree_hit(void *item, void *user)
{
    struct classifier *c = user;
    c->hits[c->nhits++] = *(const int32_t *)item;
}

static int cmp_i32(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    return (a > b) - (a < b);
}

static void fill(struct vg_areas_impl *im, int32_t i0, int32_t j0, int32_t w,
                 int32_t h, int32_t v)
{
    for (int32_t j = j0; j < j0 + h; j++)
        for (int32_t i = i0; i < i0 + w; i++)
            im->cell[(size_t)j * (size_t)im->gnx + (size_t)i] = v;
}

static enum vg_err add_boundary(struct vg_areas_impl *im, int32_t cell,
                                const int32_t *c, size_t n)
{
    if (im->nbound + 2 > im->cap_bound) {
        size_t nc = im->cap_bound ? 2 * im->cap_bound : 1024;
        int32_t *p = vg_reallocarray(im->cand_off, nc, sizeof *p);
        if (p == NULL)
            return VG_NOMEM;
        im->cand_off = p;
        im->cap_bound = nc;
    }
    if (im->ncand + n > im->cap_cand) {
        size_t nc = im->cap_cand ? 2 * im->cap_cand + n : 4096 + n;
        int32_t *p = vg_reallocarray(im->cand, nc, sizeof *p);
        if (p == NULL)
            return VG_NOMEM;
        im->cand = p;
        im->cap_cand = nc;
    }
    if (im->nbound > (size_t)INT32_MAX - 4 || im->ncand + n > (size_t)INT32_MAX)
        return VG_LIMIT;
    im->cand_off[im->nbound] = (int32_t)im->ncand;
    memcpy(im->cand + im->ncand, c, n * sizeof *c);
    im->ncand += n;
    im->cand_off[im->nbound + 1] = (int32_t)im->ncand;
    im->cell[cell] = -2 - (int32_t)im->nbound;
    im->nbound++;
    return VG_OK;
}

/* Classify the block of w x h cells at column i0, row j0. */
static void classify(struct classifier *c, int32_t i0, int32_t j0, int32_t w,
                     int32_t h)
{
    struct vg_areas_impl *im = c->a->impl;
    GEOSContextHandle_t g = im->g;
    double eps = im->gcell * 1e-6;
    double x0 = im->gx0 + i0 * im->gcell - eps, y0 = im->gy0 + j0 * im->gcell - eps;
    double x1 = im->gx0 + (i0 + w) * im->gcell + eps, y1 = im->gy0 + (j0 + h) * im->gcell + eps;
    GEOSGeometry *box;
    size_t keep = 0;
    int32_t full = -1;

    if (c->rc != VG_OK)
        return;
    box = GEOSGeom_createRectangle_r(g, x0, y0, x1, y1);
    if (box == NULL) {
        c->rc = VG_GEOM;
        return;
    }
    c->nhits = 0;
    GEOSSTRtree_query_r(g, c->tree, box, tree_hit, c);
    qsort(c->hits, c->nhits, sizeof *c->hits, cmp_i32);
    for (size_t k = 0; k < c->nhits && full < 0; k++) {
        int32_t ai = c->hits[k];
        if (GEOSPreparedContainsProperly_r(g, c->prep[ai], box) == 1)
            full = ai;
        else if (GEOSPreparedIntersects_r(g, c->prep[ai], box) == 1)
            c->hits[keep++] = ai;
    }
    GEOSGeom_destroy_r(g, box);
    if (full >= 0) {
        fill(im, i0, j0, w, h, full);
    } else if (keep == 0) {
        fill(im, i0, j0, w, h, -1);
    } else if (w == 1 && h == 1) {
        c->rc = add_boundary(im, j0 * im->gnx + i0, c->hits, keep);
    } else if (w >= h) {
        classify(c, i0, j0, w / 2, h);
        classify(c, i0 + w / 2, j0, w - w / 2, h);
    } else {
        classify(c, i0, j0, w, h / 2);
        classify(c, i0, j0 + h / 2, w, h - h / 2);
    }
}

static enum vg_err build_raster(struct vg_areas *a)
{
    struct vg_areas_impl *im = a->impl;
    struct classifier c = {.a = a, .rc = VG_OK};
    int32_t *items = NULL;
    double w = a->bbox[2] - a->bbox[0], h = a->bbox[3] - a->bbox[1];
    double side = (w > h ? w : h) / RASTER_SIDE;

    if (!(side > 0) || !isfinite(side))
        return VG_GEOM;
    im->gx0 = a->bbox[0];
    im->gy0 = a->bbox[1];
    im->gcell = side;
    im->ginv = 1.0 / side;
    im->gnx = (int32_t)ceil(w / side);
    im->gny = (int32_t)ceil(h / side);
    im->gnx = im->gnx < 1 ? 1 : im->gnx > RASTER_SIDE ? RASTER_SIDE : im->gnx;
    im->gny = im->gny < 1 ? 1 : im->gny > RASTER_SIDE ? RASTER_SIDE : im->gny;
    im->cell = vg_calloc((size_t)im->gnx * (size_t)im->gny, sizeof *im->cell);
    c.prep = vg_calloc(a->n, sizeof *c.prep);
    c.hits = vg_calloc(a->n, sizeof *c.hits);
    items = vg_calloc(a->n, sizeof *items);
    c.tree = GEOSSTRtree_create_r(im->g, 10);
    if (im->cell == NULL || c.prep == NULL || c.hits == NULL || items == NULL ||
        c.tree == NULL) {
        c.rc = VG_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < a->n; i++) {
        items[i] = (int32_t)i;
        c.prep[i] = GEOSPrepare_r(im->g, im->geom[i]);
        if (c.prep[i] == NULL) {
            c.rc = VG_GEOM;
            goto out;
        }
        GEOSSTRtree_insert_r(im->g, c.tree, im->geom[i], &items[i]);
    }
    classify(&c, 0, 0, im->gnx, im->gny);
out:
    for (size_t i = 0; c.prep != NULL && i < a->n; i++)
        GEOSPreparedGeom_destroy_r(im->g, c.prep[i]);
    if (c.tree != NULL)
        GEOSSTRtree_destroy_r(im->g, c.tree);
    vg_free(c.prep);
    vg_free(c.hits);
    vg_free(items);
    return c.rc;
}

/* Bucket the edges of area i by raster row. */
static enum vg_err build_edges(struct vg_areas *a, size_t i)
{
    struct vg_areas_impl *im = a->impl;
    struct edges *e = &im->edges[i];
    const struct vg_gj_geom *g = &im->ll[i];
    const double *p = im->pxy[i];
    size_t total = 0;

    e->r0 = row_of(im, a->miny[i]);
    e->nr = row_of(im, a->maxy[i]) - e->r0 + 1;
    e->off = vg_calloc((size_t)e->nr + 1, sizeof *e->off);
    if (e->off == NULL)
        return VG_NOMEM;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t r = 0; r < g->nring; r++)
            for (size_t k = g->ring_pt[r]; k + 1 < g->ring_pt[r + 1]; k++) {
                double ya = p[2 * k + 1], yb = p[2 * k + 3];
                int32_t lo = row_of(im, ya < yb ? ya : yb) - e->r0;
                int32_t hi = row_of(im, ya < yb ? yb : ya) - e->r0;
                for (int32_t rr = lo; rr <= hi; rr++) {
                    if (pass == 0)
                        e->off[rr + 1]++;
                    else
                        e->pt[e->off[rr]++] = (uint32_t)k;
                }
            }
        if (pass == 0) {
            for (int32_t rr = 0; rr < e->nr; rr++) {
                total += e->off[rr + 1];
                if (total > UINT32_MAX)
                    return VG_LIMIT;
                e->off[rr + 1] = (uint32_t)total;
            }
            e->pt = vg_calloc(total + 1, sizeof *e->pt);
            if (e->pt == NULL)
                return VG_NOMEM;
        }
    }
    /* pass 2 advanced each off[rr] to the start of row rr + 1: shift back */
    for (int32_t rr = e->nr; rr > 0; rr--)
        e->off[rr] = e->off[rr - 1];
    e->off[0] = 0;
    return VG_OK;
}

static int inside(const struct vg_areas_impl *im, int32_t ai, int32_t row,
                  double x, double y)
{
    const struct edges *e = &im->edges[ai];
    const double *p = im->pxy[ai];
    int32_t rr = row - e->r0;
    int in = 0;
    if (rr < 0 || rr >= e->nr)
        return 0;
    for (uint32_t k = e->off[rr]; k < e->off[rr + 1]; k++) {
        const double *q = p + 2 * (size_t)e->pt[k];
        if ((q[1] > y) != (q[3] > y) &&
            x < q[0] + (y - q[1]) * (q[2] - q[0]) / (q[3] - q[1]))
            in = !in;
    }
    return in;
}

int32_t vg_areas_locate(const struct vg_areas *a, double x, double y)
{
    const struct vg_areas_impl *im = a->impl;
    int32_t r, v;
    if (!(x >= a->bbox[0] && x <= a->bbox[2] && y >= a->bbox[1] &&
          y <= a->bbox[3]))
        return -1;
    r = row_of(im, y);
    v = im->cell[(size_t)r * (size_t)im->gnx + (size_t)col_of(im, x)];
    if (v >= -1)
        return v;
    for (int32_t k = im->cand_off[-2 - v]; k < im->cand_off[-1 - v]; k++)
        if (inside(im, im->cand[k], r, x, y))
            return im->cand[k];
    return -1;
}

void vg_areas_locate_many(const struct vg_areas *a, const double *x,
                          const double *y, size_t n, int32_t *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = vg_areas_locate(a, x[i], y[i]);
}

/* ---------- geometry ---------- */

/* GEOS (multi)polygon of area i from its projected rings. */
static GEOSGeometry *make_geom(struct vg_areas_impl *im, size_t i)
{
    GEOSContextHandle_t g = im->g;
    const struct vg_gj_geom *s = &im->ll[i];
    GEOSGeometry **polys = vg_calloc(s->npoly, sizeof *polys);
    GEOSGeometry **rings = vg_calloc(s->nring, sizeof *rings);
    GEOSGeometry *res = NULL;
    size_t np = 0;

    if (polys == NULL || rings == NULL)
        goto out;
    for (size_t p = 0; p < s->npoly; p++) {
        size_t r0 = s->poly_ring[p], r1 = s->poly_ring[p + 1];
        for (size_t r = r0; r < r1; r++) {
            size_t k = s->ring_pt[r], n = s->ring_pt[r + 1] - k;
            GEOSCoordSequence *cs =
                GEOSCoordSeq_copyFromBuffer_r(g, im->pxy[i] + 2 * k, (unsigned)n, 0, 0);
            rings[r] = cs ? GEOSGeom_createLinearRing_r(g, cs) : NULL;
            if (rings[r] == NULL)
                goto out;
        }
        polys[np] = GEOSGeom_createPolygon_r(g, rings[r0], rings + r0 + 1,
                                             (unsigned)(r1 - r0 - 1));
        if (polys[np] == NULL)
            goto out;
        for (size_t r = r0; r < r1; r++)
            rings[r] = NULL; /* now owned by the polygon */
        np++;
    }
    res = GEOSGeom_createCollection_r(g, GEOS_MULTIPOLYGON, polys, (unsigned)np);
    if (res != NULL)
        np = 0; /* owned by the collection */
out:
    for (size_t r = 0; rings != NULL && r < s->nring; r++)
        if (rings[r] != NULL)
            GEOSGeom_destroy_r(g, rings[r]);
    for (size_t p = 0; p < np; p++)
        GEOSGeom_destroy_r(g, polys[p]);
    vg_free(polys);
    vg_free(rings);
    return res;
}

static void free_impl(struct vg_areas_impl *im, size_t n)
{
    if (im == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        if (im->geom != NULL && im->geom[i] != NULL)
            GEOSGeom_destroy_r(im->g, im->geom[i]);
        if (im->ll != NULL)
            vg_gj_geom_free(&im->ll[i]);
        if (im->pxy != NULL)
            vg_free(im->pxy[i]);
        if (im->edges != NULL) {
            vg_free(im->edges[i].off);
            vg_free(im->edges[i].pt);
        }
    }
    vg_free(im->geom);
    vg_free(im->ll);
    vg_free(im->pxy);
    vg_free(im->edges);
    vg_free(im->cell);
    vg_free(im->cand_off);
    vg_free(im->cand);
    if (im->g != NULL)
        GEOS_finish_r(im->g);
    vg_free(im);
}

void vg_areas_free(struct vg_areas *a)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < a->n; i++) {
        if (a->id != NULL)
            vg_free(a->id[i]);
        if (a->name != NULL)
            vg_free(a->name[i]);
    }
    free_impl(a->impl, a->n);
    vg_free(a->id);
    vg_free(a->name);
    vg_free(a->pop);
    vg_free(a->km2);
    vg_free(a->minx);
    vg_free(a->miny);
    vg_free(a->maxx);
    vg_free(a->maxy);
    vg_free(a);
}

/* An empty layer of n areas with every array allocated (zeroed). */
static struct vg_areas *alloc_layer(size_t n)
{
    struct vg_areas *a = vg_calloc(1, sizeof *a);
    if (a == NULL)
        return NULL;
    a->impl = vg_calloc(1, sizeof *a->impl);
    if (a->impl == NULL) {
        vg_free(a);
        return NULL;
    }
    a->n = n;
    a->id = vg_calloc(n + 1, sizeof *a->id);
    a->name = vg_calloc(n + 1, sizeof *a->name);
    a->pop = vg_calloc(n + 1, sizeof *a->pop);
    a->km2 = vg_calloc(n + 1, sizeof *a->km2);
    a->minx = vg_calloc(n + 1, sizeof *a->minx);
    a->miny = vg_calloc(n + 1, sizeof *a->miny);
    a->maxx = vg_calloc(n + 1, sizeof *a->maxx);
    a->maxy = vg_calloc(n + 1, sizeof *a->maxy);
    a->impl->geom = vg_calloc(n + 1, sizeof *a->impl->geom);
    a->impl->ll = vg_calloc(n + 1, sizeof *a->impl->ll);
    a->impl->pxy = vg_calloc(n + 1, sizeof *a->impl->pxy);
    a->impl->edges = vg_calloc(n + 1, sizeof *a->impl->edges);
    a->impl->g = GEOS_init_r();
    if (a->id == NULL || a->name == NULL || a->pop == NULL || a->km2 == NULL ||
        a->minx == NULL || a->miny == NULL || a->maxx == NULL ||
        a->maxy == NULL || a->impl->geom == NULL || a->impl->ll == NULL ||
        a->impl->pxy == NULL || a->impl->edges == NULL || a->impl->g == NULL) {
        vg_areas_free(a);
        return NULL;
    }
    GEOSContext_setNoticeHandler_r(a->impl->g, geos_msg);
    GEOSContext_setErrorMessageHandler_r(a->impl->g, geos_err, a->impl);
    return a;
}

static void bbox_of(const double *xy, size_t n, double *bb)
{
    bb[0] = bb[1] = INFINITY;
    bb[2] = bb[3] = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        bb[0] = fmin(bb[0], xy[2 * k]);
        bb[1] = fmin(bb[1], xy[2 * k + 1]);
        bb[2] = fmax(bb[2], xy[2 * k]);
        bb[3] = fmax(bb[3], xy[2 * k + 1]);
    }
}

/* Project every area's lon/lat rings into the study CRS (a->crs, chosen
 * from the lon/lat bbox centre if empty). */
static enum vg_err project_all(struct vg_areas *a, const char *name,
                               struct vg_diag *d)
{
    struct vg_areas_impl *im = a->impl;
    struct vg_proj *p = NULL;
    enum vg_err rc = VG_OK;

    a->bbox_ll[0] = a->bbox_ll[1] = INFINITY;
    a->bbox_ll[2] = a->bbox_ll[3] = -INFINITY;
    for (size_t i = 0; i < a->n; i++) {
        double bb[4];
        bbox_of(im->ll[i].xy, im->ll[i].npt, bb);
        a->bbox_ll[0] = fmin(a->bbox_ll[0], bb[0]);
        a->bbox_ll[1] = fmin(a->bbox_ll[1], bb[1]);
        a->bbox_ll[2] = fmax(a->bbox_ll[2], bb[2]);
        a->bbox_ll[3] = fmax(a->bbox_ll[3], bb[3]);
    }
    if (a->crs[0] == '\0' &&
        vg_proj_study_crs((a->bbox_ll[0] + a->bbox_ll[2]) / 2,
                          (a->bbox_ll[1] + a->bbox_ll[3]) / 2, a->crs,
                          sizeof a->crs) != VG_OK)
        return vg_fail(d, VG_RANGE, name, 0, 0,
                       "coordinates are not lon/lat degrees (bbox %g %g %g %g); "
                       "give the source CRS", a->bbox_ll[0], a->bbox_ll[1],
                       a->bbox_ll[2], a->bbox_ll[3]);
    if ((rc = vg_proj_new("EPSG:4326", a->crs, &p, d)) != VG_OK)
        return rc;
    for (size_t i = 0; i < a->n && rc == VG_OK; i++) {
        size_t n = im->ll[i].npt;
        im->pxy[i] = vg_malloc(2 * n * sizeof(double) + 1);
        if (im->pxy[i] == NULL) {
            rc = vg_fail(d, VG_NOMEM, name, 0, 0, "out of memory");
            break;
        }
        memcpy(im->pxy[i], im->ll[i].xy, 2 * n * sizeof(double));
        if (vg_proj_trans_xy(p, im->pxy[i], n, 0) != VG_OK)
            rc = vg_fail(d, VG_PROJ, name, 0, 0,
                         "feature %zu (id \"%s\"): coordinates outside %s", i,
                         a->id[i], a->crs);
    }
    vg_proj_free(p);
    return rc;
}

/* Everything after the lon/lat rings and attributes are in place. */
static enum vg_err finish_layer(struct vg_areas *a, const char *name,
                                struct vg_diag *d)
{
    struct vg_areas_impl *im = a->impl;
    enum vg_err rc;

    if (a->n == 0)
        return vg_fail(d, VG_GEOM, name, 0, 0, "no areas");
    if ((rc = project_all(a, name, d)) != VG_OK)
        return rc;
    a->bbox[0] = a->bbox[1] = INFINITY;
    a->bbox[2] = a->bbox[3] = -INFINITY;
    a->km2_total = 0;
    for (size_t i = 0; i < a->n; i++) {
        double bb[4], m2 = 0;
        im->geom[i] = make_geom(im, i);
        if (im->geom[i] == NULL)
            return vg_fail(d, VG_GEOM, name, 0, 0, "feature %zu (id \"%s\"): %s", i,
                           a->id[i], im->gerr[0] ? im->gerr : "cannot build polygon");
        if (GEOSisValid_r(im->g, im->geom[i]) != 1) {
            GEOSGeometry *v = GEOSMakeValid_r(im->g, im->geom[i]);
            if (v == NULL)
                return vg_fail(d, VG_GEOM, name, 0, 0,
                               "feature %zu (id \"%s\"): invalid polygon, repair failed",
                               i, a->id[i]);
            GEOSGeom_destroy_r(im->g, im->geom[i]);
            im->geom[i] = v;
        }
        GEOSArea_r(im->g, im->geom[i], &m2);
        a->km2[i] = m2 / 1e6;
        a->km2_total += a->km2[i];
        bbox_of(im->pxy[i], im->ll[i].npt, bb);
        a->minx[i] = bb[0];
        a->miny[i] = bb[1];
        a->maxx[i] = bb[2];
        a->maxy[i] = bb[3];
        a->bbox[0] = fmin(a->bbox[0], bb[0]);
        a->bbox[1] = fmin(a->bbox[1], bb[1]);
        a->bbox[2] = fmax(a->bbox[2], bb[2]);
        a->bbox[3] = fmax(a->bbox[3], bb[3]);
    }
    if ((rc = build_raster(a)) != VG_OK)
        return vg_fail(d, rc, name, 0, 0, "building the lookup raster: %s",
                       im->gerr[0] ? im->gerr : vg_strerror(rc));
    for (size_t i = 0; i < a->n; i++)
        if ((rc = build_edges(a, i)) != VG_OK)
            return vg_fail(d, rc, name, 0, 0, "indexing the edges of area %zu", i);
    return VG_OK;
}

static int is_wgs84(const char *crs)
{
    return crs == NULL || strcasecmp(crs, "EPSG:4326") == 0 ||
           strcasecmp(crs, "OGC:CRS84") == 0;
}

/* Attributes of feature i of `gj` into layer slot i. */
static enum vg_err take_attrs(struct vg_areas *a, const struct vg_geojson *gj,
                              const struct vg_areas_spec *s, size_t i,
                              struct vg_diag *d)
{
    char buf[FIELD_MAX];
    enum vg_err rc;
    if ((rc = vg_geojson_prop_str(gj, i, s->id_field, buf, sizeof buf, d)) != VG_OK)
        return rc;
    a->id[i] = vg_strdup(buf);
    if (s->name_field != NULL &&
        (rc = vg_geojson_prop_str(gj, i, s->name_field, buf, sizeof buf, d)) != VG_OK)
        return rc;
    a->name[i] = vg_strdup(buf);
    a->pop[i] = NAN;
    if (s->pop_field != NULL &&
        (rc = vg_geojson_prop_num(gj, i, s->pop_field, &a->pop[i], d)) != VG_OK)
        return rc;
    if (a->id[i] == NULL || a->name[i] == NULL)
        return vg_fail(d, VG_NOMEM, gj->name, 0, 0, "out of memory");
    return VG_OK;
}

enum vg_err vg_areas_load(const struct vg_areas_spec *s, struct vg_areas **out,
                          struct vg_diag *d)
{
    struct vg_geojson *gj = NULL;
    struct vg_areas *a = NULL;
    struct vg_proj *src = NULL;
    enum vg_err rc;

    *out = NULL;
    if (s == NULL || s->path == NULL || s->id_field == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "area layer needs a file and an id field");
    if ((rc = vg_geojson_read(s->path, NULL, &gj, d)) != VG_OK)
        goto out;
    if ((a = alloc_layer(gj->n)) == NULL) {
        rc = vg_fail(d, VG_NOMEM, s->path, 0, 0, "out of memory");
        goto out;
    }
    if (s->study_crs != NULL)
        snprintf(a->crs, sizeof a->crs, "%s", s->study_crs);
    if (!is_wgs84(s->src_crs) &&
        (rc = vg_proj_new(s->src_crs, "EPSG:4326", &src, d)) != VG_OK)
        goto out;
    for (size_t i = 0; i < gj->n; i++) {
        if ((rc = take_attrs(a, gj, s, i, d)) != VG_OK)
            goto out;
        a->impl->ll[i] = gj->f[i].geom; /* move */
        memset(&gj->f[i].geom, 0, sizeof gj->f[i].geom);
        if (src != NULL &&
            vg_proj_trans_xy(src, a->impl->ll[i].xy, a->impl->ll[i].npt, 0) != VG_OK) {
            rc = vg_fail(d, VG_PROJ, s->path, 0, 0,
                         "feature %zu: coordinates outside %s", i, s->src_crs);
            goto out;
        }
    }
    rc = finish_layer(a, s->path, d);
out:
    vg_proj_free(src);
    vg_geojson_free(gj);
    if (rc != VG_OK)
        vg_areas_free(a);
    else
        *out = a;
    return rc;
}

/* Feature k of a stored layer into slot k. */
static enum vg_err take_feature(struct vg_areas *a, size_t k, const char *text,
                                size_t len, const char *name,
                                struct vg_diag *d)
{
    json_t *root = NULL;
    json_error_t jerr;
    char buf[FIELD_MAX];
    size_t nvert = 0;
    enum vg_err rc;
    json_t *props;

    if ((rc = vg_gj_check_depth(text, len, 32, name, d)) != VG_OK)
        return rc;
    root = json_loadb(text, len, 0, &jerr);
    if (root == NULL)
        return vg_fail(d, VG_PARSE, name, 0, 0, "feature %zu: %s (column %d)", k,
                       jerr.text, jerr.column);
    props = json_object_get(root, "properties");
    if ((rc = vg_gj_json_str(props, name, k, "id", buf, sizeof buf, d)) != VG_OK)
        goto out;
    a->id[k] = vg_strdup(buf);
    if ((rc = vg_gj_json_str(props, name, k, "name", buf, sizeof buf, d)) != VG_OK)
        goto out;
    a->name[k] = vg_strdup(buf);
    a->pop[k] = NAN;
    if (json_object_get(props, "population") != NULL &&
        (rc = vg_gj_json_num(props, name, k, "population", &a->pop[k], d)) != VG_OK)
        goto out;
    if (a->id[k] == NULL || a->name[k] == NULL) {
        rc = vg_fail(d, VG_NOMEM, name, 0, 0, "out of memory");
        goto out;
    }
    rc = vg_gj_geom_parse(json_object_get(root, "geometry"), name, k, NULL, &nvert,
                          &a->impl->ll[k], d);
out:
    json_decref(root);
    return rc;
}

enum vg_err vg_areas_from_features(const char *const *feats,
                                   const size_t *lens, size_t n,
                                   const char *study_crs, const char *name,
                                   struct vg_areas **out, struct vg_diag *d)
{
    struct vg_areas *a = NULL;
    enum vg_err rc = VG_OK;

    *out = NULL;
    if (name == NULL)
        name = "(areas)";
    if ((a = alloc_layer(n)) == NULL)
        return vg_fail(d, VG_NOMEM, name, 0, 0, "out of memory");
    if (study_crs != NULL)
        snprintf(a->crs, sizeof a->crs, "%s", study_crs);
    for (size_t k = 0; k < n && rc == VG_OK; k++)
        rc = take_feature(a, k, feats[k], lens ? lens[k] : strlen(feats[k]), name, d);
    if (rc == VG_OK)
        rc = finish_layer(a, name, d);
    if (rc != VG_OK)
        vg_areas_free(a);
    else
        *out = a;
    return rc;
}

/* ---------- output ---------- */

/* Append "[x,y]". */
static enum vg_err write_pos(struct vg_buf *b, double x, double y)
{
    enum vg_err rc = vg_buf_addc(b, '[');
    if (rc == VG_OK)
        rc = vg_buf_json_num(b, x);
    if (rc == VG_OK)
        rc = vg_buf_addc(b, ',');
    if (rc == VG_OK)
        rc = vg_buf_json_num(b, y);
    return rc == VG_OK ? vg_buf_addc(b, ']') : rc;
}

/* Append the rings of `g` (coordinates xy, same layout) as a MultiPolygon. */
static enum vg_err write_multipolygon(struct vg_buf *b,
                                      const struct vg_gj_geom *g,
                                      const double *xy)
{
    enum vg_err rc = vg_buf_adds(b, "{\"type\":\"MultiPolygon\",\"coordinates\":[");
    for (size_t p = 0; p < g->npoly && rc == VG_OK; p++) {
        size_t r0 = g->poly_ring[p];
        rc = vg_buf_adds(b, p ? ",[" : "[");
        for (size_t r = r0; r < g->poly_ring[p + 1] && rc == VG_OK; r++) {
            rc = vg_buf_adds(b, r > r0 ? ",[" : "[");
            for (size_t k = g->ring_pt[r]; k < g->ring_pt[r + 1] && rc == VG_OK; k++)
                if ((rc = k > g->ring_pt[r] ? vg_buf_addc(b, ',') : VG_OK) == VG_OK)
                    rc = write_pos(b, xy[2 * k], xy[2 * k + 1]);
            if (rc == VG_OK)
                rc = vg_buf_addc(b, ']');
        }
        if (rc == VG_OK)
            rc = vg_buf_addc(b, ']');
    }
    return rc == VG_OK ? vg_buf_adds(b, "]}") : rc;
}

enum vg_err vg_areas_feature_geojson(const struct vg_areas *a, size_t i,
                                     struct vg_buf *b)
{
    enum vg_err rc;
    if (i >= a->n)
        return VG_RANGE;
    rc = vg_buf_adds(b, "{\"type\":\"Feature\",\"properties\":{\"id\":");
    if (rc == VG_OK)
        rc = vg_buf_json_str(b, a->id[i], strlen(a->id[i]));
    if (rc == VG_OK)
        rc = vg_buf_adds(b, ",\"name\":");
    if (rc == VG_OK)
        rc = vg_buf_json_str(b, a->name[i], strlen(a->name[i]));
    if (rc == VG_OK)
        rc = vg_buf_adds(b, ",\"population\":");
    if (rc == VG_OK)
        rc = vg_buf_json_num(b, a->pop[i]);
    if (rc == VG_OK)
        rc = vg_buf_adds(b, "},\"geometry\":");
    if (rc == VG_OK)
        rc = write_multipolygon(b, &a->impl->ll[i], a->impl->ll[i].xy);
    if (rc == VG_OK)
        rc = vg_buf_addc(b, '}');
    return rc;
}

const struct GEOSGeom_t *vg_areas__geom(const struct vg_areas *a, size_t i)
{
    return i < a->n ? a->impl->geom[i] : NULL;
}

enum vg_err vg_areas_proj(const struct vg_areas *a, struct vg_proj **out,
                          struct vg_diag *d)
{
    return vg_proj_new("EPSG:4326", a->crs, out, d);
}

enum vg_err vg_areas_geometry_geojson(const struct vg_areas *a, size_t i,
                                      struct vg_buf *b)
{
    if (i >= a->n)
        return VG_RANGE;
    return write_multipolygon(b, &a->impl->ll[i], a->impl->ll[i].xy);
}

/* Count (pass 0) or copy (pass 1) the rings of the polygons in `geom`. */
static int walk_polys(GEOSContextHandle_t g, const GEOSGeometry *geom,
                      struct vg_gj_geom *o, int pass)
{
    int t = GEOSGeomTypeId_r(g, geom);
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(g, geom);
        for (int k = 0; k < n; k++)
            if (!walk_polys(g, GEOSGetGeometryN_r(g, geom, k), o, pass))
                return 0;
        return 1;
    }
    if (t != GEOS_POLYGON || GEOSisEmpty_r(g, geom) == 1)
        return 1;
    int nh = GEOSGetNumInteriorRings_r(g, geom);
    if (pass == 1)
        o->poly_ring[o->npoly] = o->nring;
    for (int r = -1; r < nh; r++) {
        const GEOSGeometry *ring = r < 0 ? GEOSGetExteriorRing_r(g, geom)
                                         : GEOSGetInteriorRingN_r(g, geom, r);
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(g, ring);
        unsigned n = 0;
        if (cs == NULL || !GEOSCoordSeq_getSize_r(g, cs, &n))
            return 0;
        if (pass == 1) {
            o->ring_pt[o->nring] = o->npt;
            if (!GEOSCoordSeq_copyToBuffer_r(g, cs, o->xy + 2 * o->npt, 0, 0))
                return 0;
        }
        o->npt += n;
        o->nring++;
    }
    o->npoly++;
    return 1;
}

enum vg_err vg_areas_union_geojson(const struct vg_areas *a, struct vg_buf *b,
                                   struct vg_diag *d)
{
    GEOSContextHandle_t g = a->impl->g;
    GEOSGeometry **parts = vg_calloc(a->n, sizeof *parts);
    GEOSGeometry *coll = NULL, *u = NULL;
    struct vg_gj_geom o = {0};
    struct vg_proj *p = NULL;
    enum vg_err rc = VG_OK;
    size_t np = 0;

    if (parts == NULL)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
    for (; np < a->n; np++)
        if ((parts[np] = GEOSGeom_clone_r(g, a->impl->geom[np])) == NULL)
            break;
    if (np == a->n &&
        (coll = GEOSGeom_createCollection_r(g, GEOS_GEOMETRYCOLLECTION, parts,
                                            (unsigned)np)) != NULL)
        np = 0;
    u = coll ? GEOSUnaryUnion_r(g, coll) : NULL;
    if (u == NULL || !walk_polys(g, u, &o, 0)) {
        rc = vg_fail(d, VG_GEOM, "", 0, 0, "union of the areas failed");
        goto out;
    }
    o.poly_ring = vg_calloc(o.npoly + 1, sizeof *o.poly_ring);
    o.ring_pt = vg_calloc(o.nring + 1, sizeof *o.ring_pt);
    o.xy = vg_calloc(o.npt + 1, 2 * sizeof *o.xy);
    if (o.poly_ring == NULL || o.ring_pt == NULL || o.xy == NULL) {
        rc = vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
        goto out;
    }
    o.npoly = o.nring = o.npt = 0;
    walk_polys(g, u, &o, 1);
    o.poly_ring[o.npoly] = o.nring;
    o.ring_pt[o.nring] = o.npt;
    if ((rc = vg_areas_proj(a, &p, d)) != VG_OK)
        goto out;
    if (vg_proj_trans_xy(p, o.xy, o.npt, 1) != VG_OK) {
        rc = vg_fail(d, VG_PROJ, "", 0, 0, "union outline outside %s", a->crs);
        goto out;
    }
    rc = write_multipolygon(b, &o, o.xy);
out:
    for (size_t k = 0; k < np; k++)
        GEOSGeom_destroy_r(g, parts[k]);
    if (coll != NULL)
        GEOSGeom_destroy_r(g, coll);
    if (u != NULL)
        GEOSGeom_destroy_r(g, u);
    vg_gj_geom_free(&o);
    vg_proj_free(p);
    vg_free(parts);
    return rc;
}

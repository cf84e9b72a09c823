/*
 * units.c — forecast units: square grid cells over the study area, or the
 * areas themselves (see units.h).
 *
 * Grid build: the union of the areas (GEOS unary union, prepared) is
 * clipped to each row of cells (GEOSClipByRect), and that strip to each
 * cell, so every clip works on a few vertices rather than on the whole
 * outline.  A cell whose box the union contains properly is full; other
 * cells keep the area of their clipped part, and cells with less than
 * 1e-6 of their area inside (touching only, or rounding slivers) are
 * dropped.  Units are numbered row by row from the bottom-left, so index i
 * is stable for a given study area, cell size and offset.
 *
 * Invariant for grids: cell_unit[unit_row[i] * nx + unit_col[i]] == i.
 * The struct owns every array; vg_units_free releases them.
 */
#include "geo/units.h"

#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "geo/areas.h"
#include "geo/proj.h"

#define UNITS_MAX_CELLS 50000000.0 /* nx * ny of the full grid */
#define UNITS_MIN_FRACTION 1e-6     /* of a cell inside the study area */

static void quiet(const char *fmt, ...)
{
    (void)fmt;
}

void vg_units_free(struct vg_units *u)
{
    if (u == NULL)
        return;
    for (size_t i = 0; u->label != NULL && i < u->n; i++)
        vg_free(u->label[i]);
    vg_free(u->label);
    vg_free(u->cx);
    vg_free(u->cy);
    vg_free(u->lon);
    vg_free(u->lat);
    vg_free(u->km2);
    vg_free(u->area);
    vg_free(u->cell_unit);
    vg_free(u->unit_col);
    vg_free(u->unit_row);
    memset(u, 0, sizeof *u);
}

/* Allocate the per-unit arrays for n units (grids pass with_grid = 1). */
static enum vg_err alloc_units(struct vg_units *u, size_t n, int with_grid)
{
    u->n = n;
    u->cx = vg_calloc(n + 1, sizeof *u->cx);
    u->cy = vg_calloc(n + 1, sizeof *u->cy);
    u->lon = vg_calloc(n + 1, sizeof *u->lon);
    u->lat = vg_calloc(n + 1, sizeof *u->lat);
    u->km2 = vg_calloc(n + 1, sizeof *u->km2);
    u->area = vg_calloc(n + 1, sizeof *u->area);
    u->label = vg_calloc(n + 1, sizeof *u->label);
    if (with_grid) {
        u->unit_col = vg_calloc(n + 1, sizeof *u->unit_col);
        u->unit_row = vg_calloc(n + 1, sizeof *u->unit_row);
    }
    if (u->cx == NULL || u->cy == NULL || u->lon == NULL || u->lat == NULL ||
        u->km2 == NULL || u->area == NULL || u->label == NULL ||
        (with_grid && (u->unit_col == NULL || u->unit_row == NULL)))
        return VG_NOMEM;
    return VG_OK;
}

/* One grid cell's share of the study area, centroid of that share. */
struct cellres {
    double m2, cx, cy;
    double px, py; /* a point surely inside the part (GEOSPointOnSurface) */
};

/* Part of `strip` inside the box of cell (c, r). */
static int cell_part(GEOSContextHandle_t g, const struct vg_units *u,
                     const GEOSPreparedGeometry *prep, const GEOSGeometry *strip,
                     int32_t c, int32_t r, struct cellres *res)
{
    double x0 = u->x0 + c * u->cell, y0 = u->y0 + r * u->cell;
    double x1 = x0 + u->cell, y1 = y0 + u->cell;
    GEOSGeometry *box = GEOSGeom_createRectangle_r(g, x0, y0, x1, y1);
    GEOSGeometry *part = NULL, *ctr = NULL, *pos = NULL;
    int ok = 0;

    res->m2 = 0;
    res->cx = (x0 + x1) / 2;
    res->cy = (y0 + y1) / 2;
    res->px = res->cx;
    res->py = res->cy;
    if (box == NULL)
        goto out;
    if (GEOSPreparedContainsProperly_r(g, prep, box) == 1) {
        res->m2 = u->cell * u->cell;
        ok = 1;
        goto out;
    }
    part = GEOSClipByRect_r(g, strip, x0, y0, x1, y1);
    if (part == NULL || !GEOSArea_r(g, part, &res->m2))
        goto out;
    if (res->m2 > UNITS_MIN_FRACTION * u->cell * u->cell) {
        ctr = GEOSGetCentroid_r(g, part);
        pos = GEOSPointOnSurface_r(g, part);
        if (ctr == NULL || !GEOSGeomGetX_r(g, ctr, &res->cx) ||
            !GEOSGeomGetY_r(g, ctr, &res->cy) || pos == NULL ||
            !GEOSGeomGetX_r(g, pos, &res->px) || !GEOSGeomGetY_r(g, pos, &res->py))
            goto out;
    }
    ok = 1;
out:
    if (box != NULL)
        GEOSGeom_destroy_r(g, box);
    if (part != NULL)
        GEOSGeom_destroy_r(g, part);
    if (ctr != NULL)
        GEOSGeom_destroy_r(g, ctr);
    if (pos != NULL)
        GEOSGeom_destroy_r(g, pos);
    return ok;
}

/* Union of every area of the layer, or NULL. */
static GEOSGeometry *union_of(GEOSContextHandle_t g, const struct vg_areas *a)
{
    GEOSGeometry **parts = vg_calloc(a->n + 1, sizeof *parts);
    GEOSGeometry *coll = NULL, *un = NULL;
    size_t np = 0;
    if (parts == NULL)
        return NULL;
    for (; np < a->n; np++) {
        parts[np] = GEOSGeom_clone_r(g, (const GEOSGeometry *)vg_areas__geom(a, np));
        if (parts[np] == NULL)
            break;
    }
    if (np == a->n) {
        coll = GEOSGeom_createCollection_r(g, GEOS_GEOMETRYCOLLECTION, parts,
                                           (unsigned)np);
        if (coll != NULL)
            np = 0;
    }
    if (coll != NULL)
        un = GEOSUnaryUnion_r(g, coll);
    for (size_t k = 0; k < np; k++)
        GEOSGeom_destroy_r(g, parts[k]);
    if (coll != NULL)
        GEOSGeom_destroy_r(g, coll);
    vg_free(parts);
    return un;
}

/* Classify every cell; results in res[nx * ny]. */
static enum vg_err scan_cells(GEOSContextHandle_t g, const struct vg_units *u,
                              const GEOSGeometry *un, struct cellres *res)
{
    const GEOSPreparedGeometry *prep = GEOSPrepare_r(g, un);
    enum vg_err rc = VG_OK;
    if (prep == NULL)
        return VG_GEOM;
    for (int32_t r = 0; r < u->ny && rc == VG_OK; r++) {
        double y0 = u->y0 + r * u->cell;
        GEOSGeometry *strip = GEOSClipByRect_r(g, un, u->x0, y0,
                                               u->x0 + u->nx * u->cell, y0 + u->cell);
        if (strip == NULL) {
            rc = VG_GEOM;
            break;
        }
        if (GEOSisEmpty_r(g, strip) != 1)
            for (int32_t c = 0; c < u->nx && rc == VG_OK; c++)
                if (!cell_part(g, u, prep, strip, c, r,
                               &res[(size_t)r * (size_t)u->nx + (size_t)c]))
                    rc = VG_GEOM;
        GEOSGeom_destroy_r(g, strip);
    }
    GEOSPreparedGeom_destroy_r(g, prep);
    return rc;
}

/* Grid origin and size over the layer's bbox (see units.h). */
static enum vg_err grid_frame(const struct vg_areas *a, double cell,
                              double offx, double offy, struct vg_units *u,
                              struct vg_diag *d)
{
    if (!(cell >= 1.0) || !isfinite(cell) || !isfinite(offx) || !isfinite(offy))
        return vg_fail(d, VG_RANGE, "", 0, 0,
                       "grid cell %g m, offset %g %g: expected a cell of at "
                       "least 1 m and finite offsets", cell, offx, offy);
    u->cell = cell;
    u->x0 = floor(a->bbox[0] / cell) * cell + fmod(offx, cell);
    u->y0 = floor(a->bbox[1] / cell) * cell + fmod(offy, cell);
    while (u->x0 > a->bbox[0])
        u->x0 -= cell;
    while (u->y0 > a->bbox[1])
        u->y0 -= cell;
    double nx = floor((a->bbox[2] - u->x0) / cell) + 1;
    double ny = floor((a->bbox[3] - u->y0) / cell) + 1;
    if (nx * ny > UNITS_MAX_CELLS)
        return vg_fail(d, VG_LIMIT, "", 0, 0,
                       "a %g m grid over this study area has %.0f cells "
                       "(at most %.0f): use larger cells", cell, nx * ny,
                       UNITS_MAX_CELLS);
    u->nx = (int32_t)nx;
    u->ny = (int32_t)ny;
    return VG_OK;
}

/* Fill units from the classified cells: the area containing the
 * centroid of the part inside, or when that centroid falls outside every
 * area (concave part) the area containing a point on the part; then
 * lon/lat. */
static enum vg_err keep_cells(struct vg_units *u, const struct cellres *res,
                              const struct vg_proj *proj,
                              const struct vg_areas *a)
{
    size_t n = 0, ncell = (size_t)u->nx * (size_t)u->ny;
    double min = UNITS_MIN_FRACTION * u->cell * u->cell;
    for (size_t k = 0; k < ncell; k++)
        n += res[k].m2 > min;
    if (alloc_units(u, n, 1) != VG_OK)
        return VG_NOMEM;
    n = 0;
    for (size_t k = 0; k < ncell; k++) {
        if (!(res[k].m2 > min)) {
            u->cell_unit[k] = -1;
            continue;
        }
        char lab[32];
        u->unit_col[n] = (int32_t)(k % (size_t)u->nx);
        u->unit_row[n] = (int32_t)(k / (size_t)u->nx);
        u->cx[n] = u->lon[n] = res[k].cx;
        u->cy[n] = u->lat[n] = res[k].cy;
        u->km2[n] = res[k].m2 / 1e6;
        u->area[n] = vg_areas_locate(a, res[k].cx, res[k].cy);
        if (u->area[n] < 0)
            u->area[n] = vg_areas_locate(a, res[k].px, res[k].py);
        snprintf(lab, sizeof lab, "r%dc%d", (int)u->unit_row[n], (int)u->unit_col[n]);
        if ((u->label[n] = vg_strdup(lab)) == NULL)
            return VG_NOMEM;
        u->cell_unit[k] = (int32_t)n++;
    }
    if (vg_proj_inv(proj, u->lon, u->lat, n) != VG_OK)
        return VG_PROJ;
    return VG_OK;
}

enum vg_err vg_units_grid(const struct vg_areas *areas,
                          const struct vg_proj *proj, double cell,
                          double offx, double offy, struct vg_units *out,
                          struct vg_diag *d)
{
    GEOSContextHandle_t g = NULL;
    GEOSGeometry *un = NULL;
    struct vg_proj *own = NULL;
    struct cellres *res = NULL;
    enum vg_err rc;

    memset(out, 0, sizeof *out);
    out->kind = VG_UNITS_GRID;
    snprintf(out->crs, sizeof out->crs, "%s", areas->crs);
    if ((rc = grid_frame(areas, cell, offx, offy, out, d)) != VG_OK)
        goto out;
    if (proj == NULL && (rc = vg_areas_proj(areas, &own, d)) != VG_OK)
        goto out;
    g = GEOS_init_r();
    res = vg_calloc((size_t)out->nx * (size_t)out->ny, sizeof *res);
    out->cell_unit = vg_calloc((size_t)out->nx * (size_t)out->ny, sizeof *out->cell_unit);
    if (g == NULL || res == NULL || out->cell_unit == NULL) {
        rc = vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory for a %dx%d grid",
                     (int)out->nx, (int)out->ny);
        goto out;
    }
    GEOSContext_setNoticeHandler_r(g, quiet);
    GEOSContext_setErrorHandler_r(g, quiet);
    if ((un = union_of(g, areas)) == NULL) {
        rc = vg_fail(d, VG_GEOM, "", 0, 0, "union of the study areas failed");
        goto out;
    }
    if ((rc = scan_cells(g, out, un, res)) != VG_OK) {
        rc = vg_fail(d, rc, "", 0, 0, "clipping the study area to the grid failed");
        goto out;
    }
    rc = keep_cells(out, res, proj != NULL ? proj : own, areas);
    if (rc != VG_OK) {
        rc = vg_fail(d, rc, "", 0, 0, "grid units: %s", vg_strerror(rc));
        goto out;
    }
out:
    if (un != NULL)
        GEOSGeom_destroy_r(g, un);
    if (g != NULL)
        GEOS_finish_r(g);
    vg_proj_free(own);
    vg_free(res);
    if (rc != VG_OK)
        vg_units_free(out);
    return rc;
}

enum vg_err vg_units_from_areas(const struct vg_areas *areas,
                                struct vg_units *out, struct vg_diag *d)
{
    GEOSContextHandle_t g = GEOS_init_r();
    struct vg_proj *p = NULL;
    enum vg_err rc = VG_OK;

    memset(out, 0, sizeof *out);
    out->kind = VG_UNITS_AREAS;
    out->areas = areas;
    snprintf(out->crs, sizeof out->crs, "%s", areas->crs);
    if (g == NULL || alloc_units(out, areas->n, 0) != VG_OK) {
        rc = vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
        goto out;
    }
    GEOSContext_setNoticeHandler_r(g, quiet);
    GEOSContext_setErrorHandler_r(g, quiet);
    for (size_t i = 0; i < areas->n; i++) {
        const GEOSGeometry *ag = (const GEOSGeometry *)vg_areas__geom(areas, i);
        GEOSGeometry *c = GEOSGetCentroid_r(g, ag);
        int ok = c != NULL && GEOSGeomGetX_r(g, c, &out->cx[i]) &&
                 GEOSGeomGetY_r(g, c, &out->cy[i]);
        if (c != NULL)
            GEOSGeom_destroy_r(g, c);
        out->label[i] = vg_strdup(areas->id[i]);
        if (!ok || out->label[i] == NULL) {
            rc = vg_fail(d, ok ? VG_NOMEM : VG_GEOM, "", 0, 0,
                         "centroid of area \"%s\"", areas->id[i]);
            goto out;
        }
        out->km2[i] = areas->km2[i];
        out->area[i] = (int32_t)i;
        out->lon[i] = out->cx[i];
        out->lat[i] = out->cy[i];
    }
    if ((rc = vg_areas_proj(areas, &p, d)) != VG_OK)
        goto out;
    if (vg_proj_inv(p, out->lon, out->lat, out->n) != VG_OK)
        rc = vg_fail(d, VG_PROJ, "", 0, 0, "area centroids outside %s", areas->crs);
out:
    vg_proj_free(p);
    if (g != NULL)
        GEOS_finish_r(g);
    if (rc != VG_OK)
        vg_units_free(out);
    return rc;
}

int32_t vg_units_locate(const struct vg_units *u, double x, double y)
{
    if (u->kind == VG_UNITS_AREAS)
        return vg_areas_locate(u->areas, x, y);
    double c = floor((x - u->x0) / u->cell), r = floor((y - u->y0) / u->cell);
    if (!(c >= 0 && c < u->nx && r >= 0 && r < u->ny)) /* also NaN */
        return -1;
    return u->cell_unit[(size_t)r * (size_t)u->nx + (size_t)c];
}

enum vg_err vg_units_geojson_geometry(const struct vg_units *u,
                                      const struct vg_proj *proj, size_t i,
                                      struct vg_buf *b)
{
    if (i >= u->n)
        return VG_RANGE;
    if (u->kind == VG_UNITS_AREAS)
        return vg_areas_geometry_geojson(u->areas, i, b);
    double x0 = u->x0 + u->unit_col[i] * u->cell, y0 = u->y0 + u->unit_row[i] * u->cell;
    double x[5] = {x0, x0 + u->cell, x0 + u->cell, x0, x0};
    double y[5] = {y0, y0, y0 + u->cell, y0 + u->cell, y0};
    struct vg_proj *own = NULL;
    enum vg_err rc = VG_OK;
    if (proj == NULL) {
        if (vg_proj_new("EPSG:4326", u->crs, &own, NULL) != VG_OK)
            return VG_PROJ;
        proj = own;
    }
    if (vg_proj_inv(proj, x, y, 5) != VG_OK)
        rc = VG_PROJ;
    if (rc == VG_OK)
        rc = vg_buf_adds(b, "{\"type\":\"Polygon\",\"coordinates\":[[");
    for (int k = 0; k < 5 && rc == VG_OK; k++) {
        rc = vg_buf_adds(b, k ? ",[" : "[");
        if (rc == VG_OK)
            rc = vg_buf_json_num(b, x[k]);
        if (rc == VG_OK)
            rc = vg_buf_addc(b, ',');
        if (rc == VG_OK)
            rc = vg_buf_json_num(b, y[k]);
        if (rc == VG_OK)
            rc = vg_buf_addc(b, ']');
    }
    if (rc == VG_OK)
        rc = vg_buf_adds(b, "]]}");
    vg_proj_free(own);
    return rc;
}

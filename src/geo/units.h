/*
 * units.h — the places a forecast is made for: grid cells or areas.
 *
 * A unit set is either a regular grid of square cells (side `cell` metres)
 * in the study's projected CRS, keeping only the cells that intersect the
 * study area (the union of the area layer), or the polygons of an area
 * layer itself.  Unit index i is stable for a given study area, cell size
 * and offset.  The struct owns all its arrays; vg_units_free releases them.
 */
#ifndef VG_UNITS_H
#define VG_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum vg_units_kind { VG_UNITS_GRID, VG_UNITS_AREAS };

struct vg_units {
    enum vg_units_kind kind;
    size_t n;
    char crs[32];        /* e.g. "EPSG:2154", "EPSG:32616" */
    /* per unit */
    double *cx, *cy;     /* centroid, projected metres */
    double *lon, *lat;   /* centroid, WGS84 */
    double *km2;         /* area of the unit inside the study area */
    int32_t *area;       /* area index containing the centroid, -1 = none */
    char **label;        /* "r12c40" for cells, the area's id for areas */
    /* grid geometry (kind == VG_UNITS_GRID) */
    double x0, y0, cell; /* lower-left corner of column 0 / row 0; side */
    int32_t nx, ny;
    int32_t *cell_unit;  /* nx*ny, row-major: unit index or -1 (outside) */
    int32_t *unit_col, *unit_row;
    /* areas (kind == VG_UNITS_AREAS): point lookup goes through the layer */
    const struct vg_areas *areas; /* borrowed */
};

struct vg_areas; /* geo/areas.h */
struct vg_proj;  /* geo/proj.h */

/* Build a grid of `cell` metres over the study area (union of `areas`),
 * shifted by (offx, offy) metres from the default origin (the bounding box's
 * lower-left corner, floored to a multiple of `cell`).  `proj` converts
 * centroids back to lon/lat.
 * Details (geo/units.c): offsets are taken modulo `cell` and the origin is
 * moved down/left by whole cells until the grid covers the bounding box,
 * so an offset changes the phase of the grid, never its coverage.  A cell
 * is kept when more than 1e-6 of it lies inside the study area; km2 is the
 * part inside, (cx, cy) the centroid of that part (the cell centre for full
 * cells) and `area` the area containing that centroid (or, if a concave
 * part's centroid is in no area, the area under a point of the part).  `proj` is the
 * EPSG:4326 -> study CRS transformation (vg_areas_proj); NULL makes one.
 * cell must be >= 1 m and the full grid at most 50 million cells
 * (VG_RANGE, VG_LIMIT). */
enum vg_err vg_units_grid(const struct vg_areas *areas,
                          const struct vg_proj *proj, double cell,
                          double offx, double offy, struct vg_units *out,
                          struct vg_diag *d);
/* One unit per area of the layer. */
enum vg_err vg_units_from_areas(const struct vg_areas *areas,
                                struct vg_units *out, struct vg_diag *d);
/* Unit index of projected point (x, y), or -1 if it falls in no unit.
 * Grids: O(1), the kept cell containing the point (even on the part of a
 * boundary cell outside the study area); areas: vg_areas_locate. */
int32_t vg_units_locate(const struct vg_units *u, double x, double y);
/* Outline of unit i as a closed lon/lat ring(s) appended to a GeoJSON
 * "geometry" object in `b` (struct vg_buf from base/buf.h).
 * Grid cells: a Polygon of the 4 projected corners (proj as for
 * vg_units_grid, NULL makes one); areas: the area's MultiPolygon. */
struct vg_buf;
enum vg_err vg_units_geojson_geometry(const struct vg_units *u,
                                      const struct vg_proj *proj, size_t i,
                                      struct vg_buf *b);
void vg_units_free(struct vg_units *u);

#endif

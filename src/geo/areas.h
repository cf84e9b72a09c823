/*
 * areas.h — a layer of area polygons (districts, IRIS, community areas) in
 * the study's projected CRS, and fast point-in-area lookup.
 *
 * Attributes are columnar arrays indexed by area (0 .. n-1, the order of
 * the source features).  Geometry is kept twice: in WGS84 lon/lat exactly
 * as read or converted (this is what the store keeps and what
 * vg_areas_feature_geojson writes, so a layer round-trips bit for bit) and
 * in the study CRS (metres), where areas, km² and lookup are computed.
 *
 * Lookup: a raster of about 1024 cells on the long side of the bounding
 * box; each cell holds the area that contains it entirely (decided once
 * with GEOS prepared geometries and an STRtree), "outside every area", or a
 * short list of candidate areas for cells crossed by a boundary.  Only
 * those cells need an exact test, an even-odd ray cast over the candidate's
 * edges that cross the cell's raster row.  vg_areas_locate only reads the
 * layer, so any number of threads may call it at once.
 *
 * The layer owns all its memory; vg_areas_free releases it.
 */
#ifndef VG_AREAS_H
#define VG_AREAS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct vg_buf;
struct vg_proj;
struct vg_areas_impl;
struct GEOSGeom_t;

struct vg_areas {
    size_t n;
    char crs[32];     /* study CRS, e.g. "EPSG:32616" */
    char **id;        /* n identifiers (strings, unique not enforced) */
    char **name;      /* n names (the id when no name field was given) */
    double *pop;      /* n populations, NAN when unknown */
    double *km2;      /* n areas in km², planar in the study CRS */
    double *minx, *miny, *maxx, *maxy; /* n bounding boxes, study CRS */
    double bbox[4];   /* layer: xmin, ymin, xmax, ymax, study CRS */
    double bbox_ll[4];/* layer: lon min, lat min, lon max, lat max */
    double km2_total; /* sum of km2 */
    struct vg_areas_impl *impl; /* private */
};

/* How to read an area layer from a GeoJSON file. */
struct vg_areas_spec {
    const char *path;      /* GeoJSON FeatureCollection */
    const char *id_field;  /* required */
    const char *name_field;/* NULL: the id is the name */
    const char *pop_field; /* NULL: populations unknown (NAN) */
    const char *src_crs;   /* CRS of the file's coordinates; NULL: EPSG:4326 */
    const char *study_crs; /* NULL: vg_proj_study_crs() of the bbox centre */
};

/* Build a layer from spec->path.  Errors name the file, the feature and
 * the field (VG_IO, VG_PARSE, VG_LIMIT, VG_GEOM, VG_PROJ, VG_NOMEM).
 * Invalid polygons (self-intersections) are repaired with GEOSMakeValid. */
enum vg_err vg_areas_load(const struct vg_areas_spec *spec,
                          struct vg_areas **out, struct vg_diag *d);

/* Append area i as one GeoJSON Feature to `b`:
 *   {"type":"Feature","properties":{"id":"..","name":"..","population":N|null},
 *    "geometry":{"type":"MultiPolygon","coordinates":[..lon/lat..]}}
 * Coordinates are printed in shortest round-trip form, so
 * vg_areas_from_features() rebuilds exactly the same layer. */
enum vg_err vg_areas_feature_geojson(const struct vg_areas *a, size_t i,
                                     struct vg_buf *b);
/* Append only the geometry of area i (lon/lat MultiPolygon object). */
enum vg_err vg_areas_geometry_geojson(const struct vg_areas *a, size_t i,
                                      struct vg_buf *b);
/* Rebuild a layer from n Feature texts as written by
 * vg_areas_feature_geojson (feats[i] with length lens[i]; lens may be NULL
 * for NUL-terminated texts), projected to `study_crs` (NULL: chosen as in
 * vg_areas_load).  `name` labels messages ("store", a file...). */
enum vg_err vg_areas_from_features(const char *const *feats,
                                   const size_t *lens, size_t n,
                                   const char *study_crs, const char *name,
                                   struct vg_areas **out, struct vg_diag *d);

/* Index of the area containing projected point (x, y), or -1 (outside, or
 * NaN).  A point on an edge shared by two areas goes to one of them; if
 * areas overlap, which one is returned is unspecified.  Thread-safe, no
 * allocation. */
int32_t vg_areas_locate(const struct vg_areas *a, double x, double y);
/* The same for n points; out[i] receives the index or -1. */
void vg_areas_locate_many(const struct vg_areas *a, const double *x,
                          const double *y, size_t n, int32_t *out);

/* Append the union of all areas (the study area outline) as a GeoJSON
 * MultiPolygon in lon/lat to `b`.  Costly (GEOS unary union); call once.
 * Uses the layer's GEOS context: not to be called from two threads at
 * once. */
enum vg_err vg_areas_union_geojson(const struct vg_areas *a, struct vg_buf *b,
                                   struct vg_diag *d);

/* A projection from EPSG:4326 to the layer's study CRS (caller frees). */
enum vg_err vg_areas_proj(const struct vg_areas *a, struct vg_proj **out,
                          struct vg_diag *d);

void vg_areas_free(struct vg_areas *a);

/* geo-internal: the GEOS (multi)polygon of area i in the study CRS,
 * borrowed.  GEOS geometries may be read from any context handle; do not
 * read them from two threads at once through prepared operations. */
const struct GEOSGeom_t *vg_areas__geom(const struct vg_areas *a, size_t i);

#endif

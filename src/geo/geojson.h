/*
 * geojson.h — read polygon layers from GeoJSON (RFC 7946) with jansson.
 *
 * vg_geojson_read() loads a FeatureCollection whose features are Polygon or
 * MultiPolygon (holes allowed) and returns, per feature, its properties
 * object and its rings as flat arrays.  Coordinates are returned as found
 * (no CRS handling; x is the first number of a position, y the second;
 * further numbers are ignored).  Rings are closed on return (last point ==
 * first point) even when the file left them open.
 * Features are numbered from 0 as in `.features[i]`; every error names the
 * file (the `name` given), the feature index and what was wrong, e.g.
 *   Chicago_2020.geojson: feature 12: property "area_numbe" missing
 * The document owns everything; vg_geojson_free releases it.
 */
#ifndef VG_GEOJSON_H
#define VG_GEOJSON_H

#include <jansson.h>
#include <stddef.h>

#include "base/err.h"

struct vg_geojson_limits {
    size_t max_bytes;    /* whole text; default 256 MiB */
    size_t max_depth;    /* bracket nesting; default 32 */
    size_t max_features; /* default 1,000,000 */
    size_t max_vertices; /* all rings of all features; default 50,000,000 */
};
/* Defaults used when a NULL limits pointer is passed. */
extern const struct vg_geojson_limits vg_geojson_default_limits;

/* One (multi)polygon.  Polygon p has rings poly_ring[p] .. poly_ring[p+1]-1;
 * ring r has points ring_pt[r] .. ring_pt[r+1]-1 of xy (interleaved x, y);
 * the first ring of each polygon is its shell, the others are holes. */
struct vg_gj_geom {
    size_t npoly, nring, npt;
    size_t *poly_ring; /* npoly + 1 */
    size_t *ring_pt;   /* nring + 1 */
    double *xy;        /* 2 * npt */
};

struct vg_gj_feature {
    json_t *props; /* borrowed from the document; a JSON object, never NULL */
    struct vg_gj_geom geom;
};

struct vg_geojson {
    char name[160];    /* file name used in messages */
    json_t *root;
    size_t n;
    struct vg_gj_feature *f;
};

/* Read and parse file `path`.  `lim` may be NULL (defaults).  On failure
 * *out is NULL and `d` says why (VG_IO, VG_PARSE, VG_LIMIT, VG_GEOM). */
enum vg_err vg_geojson_read(const char *path,
                            const struct vg_geojson_limits *lim,
                            struct vg_geojson **out, struct vg_diag *d);
/* Parse `len` bytes of `text` (need not be NUL-terminated); `name` is used
 * in messages. */
enum vg_err vg_geojson_parse(const char *text, size_t len, const char *name,
                             const struct vg_geojson_limits *lim,
                             struct vg_geojson **out, struct vg_diag *d);
void vg_geojson_free(struct vg_geojson *g);

/* Parse one Polygon/MultiPolygon geometry object `geom` (feature index
 * `fi` and `name` are for messages) into *out, which the caller later
 * releases with vg_gj_geom_free.  *nvert is increased by the vertex count
 * and checked against lim->max_vertices. */
enum vg_err vg_gj_geom_parse(const json_t *geom, const char *name, size_t fi,
                             const struct vg_geojson_limits *lim,
                             size_t *nvert, struct vg_gj_geom *out,
                             struct vg_diag *d);
/* Release the arrays of `g` and zero it (accepts NULL). */
void vg_gj_geom_free(struct vg_gj_geom *g);

/* Property `key` of feature `fi` as text into out[cap]: strings are copied,
 * integers printed in decimal, reals printed with %.15g.  Missing, null,
 * boolean, array or object values, and texts longer than cap - 1, fail with
 * VG_PARSE naming the file, feature and key. */
enum vg_err vg_geojson_prop_str(const struct vg_geojson *g, size_t fi,
                                const char *key, char *out, size_t cap,
                                struct vg_diag *d);
/* Property `key` as a number: JSON numbers, and strings holding a decimal
 * number; null gives NAN.  Missing keys and other values fail (VG_PARSE). */
enum vg_err vg_geojson_prop_num(const struct vg_geojson *g, size_t fi,
                                const char *key, double *out,
                                struct vg_diag *d);
/* The same two on any properties object (used for single features). */
enum vg_err vg_gj_json_str(const json_t *props, const char *name, size_t fi,
                           const char *key, char *out, size_t cap,
                           struct vg_diag *d);
enum vg_err vg_gj_json_num(const json_t *props, const char *name, size_t fi,
                           const char *key, double *out, struct vg_diag *d);

/* Check that the JSON text never nests deeper than max_depth brackets,
 * before any parser recurses into it.  Fails with VG_LIMIT at the line. */
enum vg_err vg_gj_check_depth(const char *text, size_t len, size_t max_depth,
                              const char *name, struct vg_diag *d);

#endif

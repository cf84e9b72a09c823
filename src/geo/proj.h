/*
 * proj.h — coordinate transformations through PROJ.
 *
 * A `struct vg_proj` converts coordinates from a source CRS to a target CRS
 * (each given as "EPSG:nnnn", a PROJ string, or WKT / ESRI .prj text).  Axis
 * order is normalised for GIS use: geographic CRSs take x = longitude,
 * y = latitude, in degrees; projected CRSs take x = easting, y = northing in
 * the CRS's own unit (metres for EPSG:2154 and UTM, US survey feet for
 * EPSG:3435, international feet for EPSG:2913, ...).  PROJ handles the units.
 *
 * Thread-safety: each object owns its own PJ_CONTEXT and a mutex, so calls
 * on one object from several threads are safe but serialised.  For parallel
 * throughput give each thread its own copy with vg_proj_clone().
 * The caller owns the object and releases it with vg_proj_free().
 */
#ifndef VG_PROJ_H
#define VG_PROJ_H

#include <stddef.h>

#include "base/err.h"

struct vg_proj;

/* Create a transformation from `src` to `dst` (non-NULL, at most 64 KiB
 * each).  On failure *out is NULL and `d` holds PROJ's reason naming the
 * CRS text (VG_PROJ, or VG_NOMEM). */
enum vg_err vg_proj_new(const char *src, const char *dst, struct vg_proj **out,
                        struct vg_diag *d);
/* A new, independent object with the same CRSs (own context), for another
 * thread. */
enum vg_err vg_proj_clone(const struct vg_proj *p, struct vg_proj **out,
                          struct vg_diag *d);
void vg_proj_free(struct vg_proj *p);

/* Transform n points in place, source -> target.  Points PROJ cannot
 * transform (out of the CRS's domain, NaN input) become NaN; the result is
 * VG_PROJ if at least one point failed, VG_OK otherwise (the other points
 * are transformed either way). */
enum vg_err vg_proj_trans(const struct vg_proj *p, double *x, double *y,
                          size_t n);
/* The same, target -> source. */
enum vg_err vg_proj_inv(const struct vg_proj *p, double *x, double *y,
                        size_t n);
/* The same on interleaved x0,y0,x1,y1,... (2n doubles); `inverse` != 0 for
 * target -> source. */
enum vg_err vg_proj_trans_xy(const struct vg_proj *p, double *xy, size_t n,
                             int inverse);

/* The CRS texts the object was made from (borrowed, live as long as p). */
const char *vg_proj_src(const struct vg_proj *p);
const char *vg_proj_dst(const struct vg_proj *p);

/* Choose a metric CRS for a study centred on (lon, lat) in WGS84 degrees:
 * "EPSG:2154" (RGF93 / Lambert-93) when the point is in metropolitan France
 * (mainland and Corsica, a coarse outline accurate to ~20 km; Lambert-93 is
 * still sound a little past the border), otherwise the WGS84 UTM zone
 * ("EPSG:326NN" north, "EPSG:327NN" south; the Norway/Svalbard exceptions
 * are not applied).  Writes a NUL-terminated string into out[cap]; returns
 * VG_RANGE for non-finite or out-of-range input, VG_LIMIT if cap < 11. */
enum vg_err vg_proj_study_crs(double lon, double lat, char *out, size_t cap);

#endif

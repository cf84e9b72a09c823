/*
 * geoglue.h — connects the import pipeline and the commands to the geo
 * layer: projections from the profile's CRS and to the study CRS, the
 * default area layer for area assignment, the study-area bounding box, and
 * the spatial units (grid or areas) of forecasts.
 * Objects returned are owned by the caller (vg_geoglue_free / vg_units_free).
 */
#ifndef VG_GEOGLUE_H
#define VG_GEOGLUE_H

#include "cli/context.h"
#include "geo/units.h"
#include "ingest/import.h"
#include "ingest/profile.h"

struct vg_geoglue;
struct vg_areas;
struct vg_proj;

/* Prepare projections and area lookup for importing with `prof`; fixes the
 * study CRS in the store (meta study_crs) if it is not set yet. */
enum vg_err vg_geoglue_open(struct vg_ctx *ctx, const struct vg_profile *prof,
                            struct vg_geoglue **out, struct vg_diag *d);
const struct vg_import_geo *vg_geoglue_import(struct vg_geoglue *g);
void vg_geoglue_free(struct vg_geoglue *g);

/* Load an area layer of the store into study-CRS polygons. */
enum vg_err vg_geoglue_layer(struct vg_ctx *ctx, const char *layer,
                             struct vg_areas **out, struct vg_diag *d);
/* Units from "grid:150[:offx:offy]" or "areas:LAYER" (or "areas" for the
 * default layer); *areas and *to_lonlat are kept alive for the units. */
enum vg_err vg_geoglue_units(struct vg_ctx *ctx, const char *spec,
                             struct vg_units *out, struct vg_areas **areas,
                             struct vg_proj **to_lonlat, struct vg_diag *d);

#endif

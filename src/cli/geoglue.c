/*
 * geoglue.c — the geo layer as the commands and the import pipeline use it.
 * The study CRS is chosen once per store (first areas or incidents import)
 * and kept in meta "study_crs"; every coordinate stored is in that CRS.
 */
#include "cli/geoglue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "geo/areas.h"
#include "geo/proj.h"

struct vg_geoglue {
    struct vg_import_geo ig;
    struct vg_proj *src_ll;   /* profile x/y CRS → lon/lat */
    struct vg_proj *ll_study; /* lon/lat → study CRS */
    struct vg_areas *layer;   /* default layer, may be NULL */
};

static enum vg_err g_src_to_lonlat(void *arg, double *x, double *y, size_t n)
{
    struct vg_geoglue *g = arg;
    vg_proj_trans(g->src_ll, x, y, n); /* failed points become NaN: rejected */
    return VG_OK;
}

static enum vg_err g_to_study(void *arg, const double *lon, const double *lat,
                              double *x, double *y, size_t n)
{
    struct vg_geoglue *g = arg;
    memcpy(x, lon, n * sizeof *x);
    memcpy(y, lat, n * sizeof *y);
    vg_proj_trans(g->ll_study, x, y, n);
    return VG_OK;
}

static int32_t g_locate(void *arg, double x, double y)
{
    struct vg_geoglue *g = arg;
    return vg_areas_locate(g->layer, x, y);
}

struct feats {
    char **text;
    size_t n;
};

static enum vg_err collect(void *arg, size_t idx, const struct vg_area_row *r)
{
    struct feats *f = arg;
    (void)idx;
    char **nt = vg_reallocarray(f->text, f->n + 1, sizeof *nt);
    if (nt == NULL)
        return VG_NOMEM;
    f->text = nt;
    f->text[f->n] = vg_strdup(r->geojson ? r->geojson : "");
    if (f->text[f->n] == NULL)
        return VG_NOMEM;
    f->n++;
    return VG_OK;
}

enum vg_err vg_geoglue_layer(struct vg_ctx *ctx, const char *layer,
                             struct vg_areas **out, struct vg_diag *d)
{
    struct feats f = {NULL, 0};
    *out = NULL;
    enum vg_err e = ctx->store->ops->areas_get(ctx->store, layer, collect, &f, d);
    if (e == VG_OK)
        e = vg_areas_from_features((const char *const *)f.text, NULL, f.n,
                                   ctx->crs[0] ? ctx->crs : NULL, layer, out, d);
    for (size_t i = 0; i < f.n; i++)
        vg_free(f.text[i]);
    vg_free(f.text);
    return e;
}

enum vg_err vg_geoglue_open(struct vg_ctx *ctx, const struct vg_profile *prof,
                            struct vg_geoglue **out, struct vg_diag *d)
{
    *out = NULL;
    struct vg_geoglue *g = vg_calloc(1, sizeof *g);
    if (g == NULL)
        return VG_NOMEM;
    enum vg_err e = VG_OK;
    if (!ctx->crs[0]) {
        if (!prof->has_bbox) {
            e = vg_fail(d, VG_USAGE, prof->path, 0, 0,
                        "the study area is not known yet: import areas first, or give the profile a [coordinates] bbox");
            goto out;
        }
        e = vg_proj_study_crs((prof->bbox[0] + prof->bbox[2]) / 2,
                              (prof->bbox[1] + prof->bbox[3]) / 2, ctx->crs, sizeof ctx->crs);
        if (e == VG_OK)
            e = vg_store_meta_set(ctx->store, "study_crs", ctx->crs, d);
        if (e)
            goto out;
    }
    e = vg_proj_new("EPSG:4326", ctx->crs, &g->ll_study, d);
    if (e == VG_OK && prof->col_index[VG_COL_LON] < 0 && prof->col_name[VG_COL_LON][0] == '\0' &&
        prof->crs[0])
        e = vg_proj_new(prof->crs, "EPSG:4326", &g->src_ll, d);
    if (e == VG_OK && ctx->layer[0])
        e = vg_geoglue_layer(ctx, ctx->layer, &g->layer, d);
    if (e)
        goto out;
    g->ig.arg = g;
    g->ig.to_study = g_to_study;
    g->ig.src_to_lonlat = g->src_ll ? g_src_to_lonlat : NULL;
    g->ig.locate = g->layer ? g_locate : NULL;
    if (g->layer) {
        /* the study area: the layer's extent with a 2 km margin */
        double mlat = 0.018, mlon = 0.018 / cos(g->layer->bbox_ll[1] * M_PI / 180);
        g->ig.has_bbox = 1;
        g->ig.bbox[0] = g->layer->bbox_ll[0] - mlon;
        g->ig.bbox[1] = g->layer->bbox_ll[1] - mlat;
        g->ig.bbox[2] = g->layer->bbox_ll[2] + mlon;
        g->ig.bbox[3] = g->layer->bbox_ll[3] + mlat;
    } else if (prof->has_bbox) {
        g->ig.has_bbox = 1;
        memcpy(g->ig.bbox, prof->bbox, sizeof g->ig.bbox);
    }
out:
    if (e) {
        vg_geoglue_free(g);
        return e;
    }
    *out = g;
    return VG_OK;
}

const struct vg_import_geo *vg_geoglue_import(struct vg_geoglue *g)
{
    return g ? &g->ig : NULL;
}

void vg_geoglue_free(struct vg_geoglue *g)
{
    if (g == NULL)
        return;
    vg_proj_free(g->src_ll);
    vg_proj_free(g->ll_study);
    vg_areas_free(g->layer);
    vg_free(g);
}

enum vg_err vg_geoglue_units(struct vg_ctx *ctx, const char *spec,
                             struct vg_units *out, struct vg_areas **areas,
                             struct vg_proj **to_lonlat, struct vg_diag *d)
{
    *areas = NULL;
    *to_lonlat = NULL;
    memset(out, 0, sizeof *out);
    const char *layer = ctx->layer;
    double cell = 150, offx = 0, offy = 0;
    int grid = 1;
    if (!strncmp(spec, "grid", 4)) {
        if (spec[4] == ':') {
            char *end;
            cell = strtod(spec + 5, &end);
            if (*end == ':')
                offx = strtod(end + 1, &end);
            if (*end == ':')
                offy = strtod(end + 1, &end);
            if (*end || !(cell >= 10 && cell <= 10000))
                return vg_fail(d, VG_USAGE, "", 0, 0,
                               "--units \"%s\": expected grid:CELL[:OFFX:OFFY] with CELL in metres (10..10000)", spec);
        }
    } else if (!strncmp(spec, "areas", 5)) {
        grid = 0;
        if (spec[5] == ':')
            layer = spec + 6;
        else if (spec[5])
            return vg_fail(d, VG_USAGE, "", 0, 0, "--units \"%s\": expected areas:LAYER", spec);
    } else {
        return vg_fail(d, VG_USAGE, "", 0, 0, "--units \"%s\" must be grid:CELL or areas:LAYER", spec);
    }
    if (!layer[0])
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "no area layer in this store: the study area is defined by `vigie import areas`");
    enum vg_err e = vg_geoglue_layer(ctx, layer, areas, d);
    if (e == VG_OK)
        e = vg_areas_proj(*areas, to_lonlat, d);
    if (e == VG_OK)
        e = grid ? vg_units_grid(*areas, *to_lonlat, cell, offx, offy, out, d)
                 : vg_units_from_areas(*areas, out, d);
    if (e) {
        vg_areas_free(*areas);
        vg_proj_free(*to_lonlat);
        *areas = NULL;
        *to_lonlat = NULL;
    }
    return e;
}

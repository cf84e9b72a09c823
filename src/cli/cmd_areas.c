/*
 * cmd_areas.c — `vigie import areas`: a GeoJSON layer of neighbourhoods
 * into the store, in the study CRS; the first layer becomes the default
 * one and every stored incident is (re)assigned to its area.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "geo/areas.h"

static enum vg_err store_layer(struct vg_ctx *ctx, const char *layer,
                               const struct vg_areas *a, const char *meta,
                               struct vg_diag *d)
{
    struct vg_area_row *rows = vg_calloc(a->n, sizeof *rows);
    struct vg_buf *bufs = vg_calloc(a->n, sizeof *bufs);
    enum vg_err e = rows && bufs ? VG_OK : VG_NOMEM;
    for (size_t i = 0; i < a->n && e == VG_OK; i++) {
        vg_buf_init(&bufs[i], 0);
        e = vg_areas_feature_geojson(a, i, &bufs[i]);
        rows[i] = (struct vg_area_row){a->id[i], a->name[i], a->pop[i], a->km2[i], bufs[i].p};
    }
    if (e == VG_OK)
        e = ctx->store->ops->areas_put(ctx->store, layer, meta, rows, a->n, d);
    for (size_t i = 0; bufs && i < a->n; i++)
        vg_buf_free(&bufs[i]);
    vg_free(bufs);
    vg_free(rows);
    return e;
}

/* Assign every stored incident to its area of the default layer. */
static enum vg_err reassign(struct vg_ctx *ctx, const struct vg_areas *a,
                            size_t *inside, size_t *total, struct vg_diag *d)
{
    struct vg_events ev;
    enum vg_err e = ctx->store->ops->events_load(ctx->store, NULL, &ev, d);
    *inside = *total = 0;
    for (size_t i = 0; i < ev.n && e == VG_OK; i++) {
        int32_t k = vg_areas_locate(a, ev.x[i], ev.y[i]);
        if (k != ev.area[i])
            e = ctx->store->ops->incident_area_set(ctx->store, ev.id[i], k, d);
        *inside += k >= 0;
    }
    *total = ev.n;
    vg_events_free(&ev);
    return e;
}

enum vg_err vg_cmd_import_areas(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "layer", "id-field", "name-field", "pop-field",
                                        "crs", "default", NULL};
    static const char *const flags[] = {"default", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    struct vg_areas *areas = NULL;
    struct vg_buf meta;
    vg_buf_init(&meta, 0);
    enum vg_err e = vg_args_parse(&a, argc, argv, flags, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    if (e)
        return e;
    const char *db = vg_args_need(&a, "db", d);
    const char *layer = db ? vg_args_need(&a, "layer", d) : NULL;
    const char *idf = layer ? vg_args_need(&a, "id-field", d) : NULL;
    if (idf == NULL)
        return VG_USAGE;
    if (a.npos != 1)
        return vg_fail(d, VG_USAGE, "", 0, 0, "give exactly one GeoJSON FILE");
    e = vg_ctx_open(&ctx, db, 1, d);
    if (e)
        return e;
    struct vg_areas_spec spec = {a.pos[0], idf, vg_args_get(&a, "name-field", NULL),
                                 vg_args_get(&a, "pop-field", NULL), vg_args_get(&a, "crs", NULL),
                                 ctx.crs[0] ? ctx.crs : NULL};
    e = vg_areas_load(&spec, &areas, d);
    if (e)
        goto out;
    e = vg_store_begin(ctx.store, d);
    if (e)
        goto out;
    if (!ctx.crs[0]) {
        snprintf(ctx.crs, sizeof ctx.crs, "%s", areas->crs);
        e = vg_store_meta_set(ctx.store, "study_crs", ctx.crs, d);
    }
    vg_buf_printf(&meta, "{\"file\":");
    vg_buf_json_str(&meta, a.pos[0], strlen(a.pos[0]));
    vg_buf_printf(&meta, ",\"id_field\":");
    vg_buf_json_str(&meta, idf, strlen(idf));
    vg_buf_printf(&meta, ",\"crs\":\"%s\"}", ctx.crs);
    if (e == VG_OK)
        e = store_layer(&ctx, layer, areas, meta.p, d);
    int is_default = !ctx.layer[0] || !strcmp(ctx.layer, layer) || vg_args_has(&a, "default");
    size_t inside = 0, total = 0;
    if (e == VG_OK && is_default) {
        e = vg_store_meta_set(ctx.store, "default_layer", layer, d);
        if (e == VG_OK)
            e = reassign(&ctx, areas, &inside, &total, d);
    }
    if (e == VG_OK)
        e = vg_store_commit(ctx.store, d);
    else
        vg_store_rollback(ctx.store);
    if (e == VG_OK) {
        double pop = 0;
        int has_pop = 0;
        for (size_t i = 0; i < areas->n; i++)
            if (!isnan(areas->pop[i]))
                pop += areas->pop[i], has_pop = 1;
        printf("layer %s: %zu areas, %.1f km² in %s", layer, areas->n, areas->km2_total, ctx.crs);
        if (has_pop)
            printf(", population %.0f", pop);
        printf("%s\n", is_default ? " (default layer)" : "");
        if (total)
            printf("%zu of %zu stored incidents fall in an area\n", inside, total);
    }
out:
    vg_buf_free(&meta);
    vg_areas_free(areas);
    vg_ctx_close(&ctx);
    return e;
}

/*
 * briefing.c — one forecast run for a patrol shift (see briefing.h).
 * The model sees only an owned copy of the events strictly before the
 * window start, so nothing later can leak into a forecast.  This file sits
 * in report/ but uses the CLI's context and geo glue (cli/context.h,
 * cli/geoglue.h), which are the library's "open a study" layer.
 * Invariant: every pointer in `struct vg_briefing` is NULL or owned.
 */
#include "report/briefing.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "cli/geoglue.h"
#include "eval/spec.h"
#include "geo/areas.h"
#include "geo/proj.h"


void vg_briefing_free(struct vg_briefing *b)
{
    if (b == NULL)
        return;
    if (b->model && b->state)
        b->model->free(b->state);
    vg_free(b->expected);
    vg_free(b->order);
    vg_free(b->explain);
    vg_free(b->nexplain);
    vg_events_free(&b->all);
    vg_events_free(&b->past);
    vg_weather_free(&b->weather);
    vg_units_free(&b->units);
    vg_areas_free(b->areas);
    vg_proj_free(b->to_ll);
    memset(b, 0, sizeof *b);
}

/* "gate:SPEC:CATEGORIES:SHIFT", "published:CATEGORIES:SHIFT", ... */
void vg_briefing_meta_key(const char *what, const char *spec, const char *categories,
                          const char *shift, char *out, size_t cap)
{
    if (spec)
        snprintf(out, cap, "%s:%s:%s:%s", what, spec, categories, shift ? shift : "night");
    else
        snprintf(out, cap, "%s:%s:%s", what, categories, shift ? shift : "night");
}

/* Canonical spec of an explicit model and its "k=v" settings. */
static enum vg_err explicit_spec(const struct vg_briefing_req *q, char *out, size_t cap,
                                 struct vg_diag *d)
{
    size_t l = (size_t)snprintf(out, cap, "%s", q->model);
    for (size_t i = 0; i < q->nkv && l < cap; i++)
        l += (size_t)snprintf(out + l, cap - l, ":%s", q->kv[i]);
    return l < cap ? VG_OK : vg_fail(d, VG_USAGE, "", 0, 0, "model settings too long");
}

/* The model of the briefing.  An explicit request (analysts) is honoured
 * and labelled published or not.  Otherwise the published model of these
 * categories and shift (`vigie models publish`); without one, the best
 * naive baseline the gate found (or the long-run average): officers never
 * see an unproven model by default. */
static enum vg_err choose_model(struct vg_ctx *ctx, const struct vg_briefing_req *q,
                                struct vg_briefing *b, struct vg_diag *d)
{
    char spec[VG_SPEC_NAME] = "", key[320];
    const char *cats = q->category ? q->category : "";
    enum vg_err e = VG_OK;
    if (q->model) {
        e = explicit_spec(q, spec, sizeof spec, d);
    } else {
        vg_briefing_meta_key("published", NULL, cats, q->shift, key, sizeof key);
        if (vg_store_meta_get(ctx->store, key, spec, sizeof spec) != VG_OK || !spec[0]) {
            vg_briefing_meta_key("baseline", NULL, cats, q->shift, key, sizeof key);
            if (vg_store_meta_get(ctx->store, key, spec, sizeof spec) != VG_OK || !spec[0])
                snprintf(spec, sizeof spec, "average");
            b->baseline_shown = 1;
        }
    }
    struct vg_spec_model *sm = NULL;
    size_t n = 0;
    if (e == VG_OK)
        e = vg_spec_parse(spec, vg_model_find, 0, &sm, &n, d);
    if (e == VG_OK && n != 1)
        e = vg_fail(d, VG_USAGE, "", 0, 0, "model \"%s\": expected exactly one model", spec);
    if (e == VG_OK) {
        b->model = sm[0].ops;
        memcpy(b->params, sm[0].params, sizeof b->params);
        snprintf(b->model_spec, sizeof b->model_spec, "%s", sm[0].name);
    }
    vg_free(sm);
    return e;
}

/* The evidence line: the gate's when the model is published, otherwise
 * why it is not (the gate's reason when it ran). */
static void evidence(struct vg_ctx *ctx, const struct vg_briefing_req *q, struct vg_briefing *b)
{
    char key[320], why[512] = "";
    const char *cats = b->categories;
    vg_briefing_meta_key("gate", b->model_spec, cats, q->shift, key, sizeof key);
    if (!b->baseline_shown &&
        vg_store_meta_get(ctx->store, key, b->evidence, sizeof b->evidence) == VG_OK &&
        b->evidence[0]) {
        b->published = 1;
        return;
    }
    vg_briefing_meta_key("gate-why", NULL, cats, q->shift, key, sizeof key);
    if (vg_store_meta_get(ctx->store, key, why, sizeof why) != VG_OK || !why[0])
        snprintf(why, sizeof why, "no model has passed the publication gate (`vigie models publish`)");
    if (b->baseline_shown)
        snprintf(b->evidence, sizeof b->evidence,
                 "no model published: %.400s. Listed instead: the naive baseline %s", why,
                 b->model_spec);
    else
        snprintf(b->evidence, sizeof b->evidence, "not published (analyst view): %.400s", why);
}

int vg_briefing_excluded(const struct vg_taxonomy *t, int32_t cat,
                         const char **reason)
{
    return vg_taxonomy_police_activity(t, cat, reason);
}

/* Drop the police-activity categories (unless overridden); returns how many
 * are left and lists the dropped ones with their reason in b->excluded. */
static size_t drop_excluded(const struct vg_ctx *ctx, int include,
                            int32_t *cats, size_t n, struct vg_briefing *b)
{
    size_t k = 0, len = 0;
    const char *why;
    for (size_t i = 0; i < n; i++) {
        if (include || !vg_briefing_excluded(&ctx->tax, cats[i], &why)) {
            cats[k++] = cats[i];
        } else if (len < sizeof b->excluded) {
            int w = snprintf(b->excluded + len, sizeof b->excluded - len, "%s%s: %s",
                             len ? "; " : "", ctx->tax.cat[cats[i]].code, why);
            len += w > 0 ? (size_t)w : 0;
        }
    }
    return k;
}

/* Keep only the events with store id <= max (order is preserved). */
static void drop_after_id(struct vg_events *ev, int64_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < ev->n; i++) {
        if (ev->id[i] > max)
            continue;
        ev->id[k] = ev->id[i], ev->t[k] = ev->t[i], ev->t_end[k] = ev->t_end[i];
        ev->x[k] = ev->x[i], ev->y[k] = ev->y[i], ev->lon[k] = ev->lon[i];
        ev->lat[k] = ev->lat[i], ev->cat[k] = ev->cat[i], ev->area[k] = ev->area[i];
        ev->source[k] = ev->source[i], ev->origin[k] = ev->origin[i];
        k++;
    }
    ev->n = k;
}

/* Validate the request and load what the model needs: units, past events,
 * weather.  Fills b->fc.window. */
static enum vg_err load(struct vg_ctx *ctx, const struct vg_briefing_req *q,
                        const struct vg_briefing_limits *lim, int include,
                        struct vg_briefing *b, struct vg_diag *d)
{
    int y, m, dd;
    struct vg_shift shift;
    enum vg_err e = choose_model(ctx, q, b, d);
    if (e)
        return e;
    if (q->date == NULL || vg_parse_date(q->date, &y, &m, &dd))
        return vg_fail(d, VG_USAGE, "", 0, 0, "date \"%s\" must be YYYY-MM-DD",
                       q->date ? q->date : "");
    e = vg_shift_parse(q->shift ? q->shift : "night", &shift, d);
    if (e)
        return e == VG_PARSE ? VG_USAGE : e;
    if (q->category == NULL || !*q->category)
        return vg_fail(d, VG_USAGE, "", 0, 0, "a category is required");
    snprintf(b->categories, sizeof b->categories, "%s", q->category);
    snprintf(b->units_spec, sizeof b->units_spec, "%s", q->units ? q->units : "grid:150");
    int32_t cats[64];
    size_t ncats = 0;
    e = vg_taxonomy_select(&ctx->tax, q->category, cats, 64, &ncats, d);
    if (e)
        return e == VG_PARSE ? VG_USAGE : e;
    if ((ncats = drop_excluded(ctx, include, cats, ncats, b)) == 0)
        return vg_fail(d, VG_USAGE, "", 0, 0, "left out of patrol briefings (%.300s); a supervisor "
                       "may override: vigie briefing ... --include-police-activity --by NAME", b->excluded);
    e = vg_shift_window(ctx->tz, &shift, y, m, dd, &b->fc.window.start, &b->fc.window.end);
    if (e == VG_OK)
        e = vg_geoglue_units(ctx, b->units_spec, &b->units, &b->areas, &b->to_ll, d);
    struct vg_event_filter f = {cats, ncats, 0, 0, -1, -1, -1};
    if (e == VG_OK)
        e = vg_store_events(ctx->store, &f, &b->all, d);
    if (e == VG_OK && lim && lim->max_event_id > 0)
        drop_after_id(&b->all, lim->max_event_id);
    if (e == VG_OK)
        e = vg_events_copy_before(&b->all, b->fc.window.start, NULL, 0, &b->past);
    if (e == VG_OK && lim && lim->feedback) {
        b->fb_on = 1, b->fb_days = lim->dosage_days > 0 ? lim->dosage_days : 28;
        b->fb_places = lim->patrol_places, b->fb_max_forecast_id = lim->max_forecast_id;
        e = vg_briefing_feedback(ctx, lim, b, d);
    }
    if (e == VG_OK && b->past.n == 0)
        e = vg_fail(d, VG_NOTFOUND, "", 0, 0, "no %s events before %s: nothing to learn from",
                    q->category, q->date);
    if (e == VG_OK && ctx->store->ops->weather_load(ctx->store, NULL, &b->weather, NULL) != VG_OK)
        memset(&b->weather, 0, sizeof b->weather);
    if (lim && lim->weather_days > 0 && b->weather.ndays > lim->weather_days)
        b->weather.ndays = lim->weather_days;
    return e;
}

/* Fit, predict, rank and explain the top places. */
static enum vg_err fit_predict(struct vg_ctx *ctx, const struct vg_briefing_req *q,
                               struct vg_briefing *b, struct vg_diag *d)
{
    const struct vg_window *w = &b->fc.window;
    struct vg_model_input in = {&b->past, &b->units, ctx->tz, b->weather.ndays ? &b->weather : NULL,
                                NULL, w->start, q->threads > 0 ? q->threads : 1};
    size_t n = b->units.n;
    b->expected = vg_calloc(n + 1, sizeof *b->expected);
    b->order = vg_calloc(n + 1, sizeof *b->order);
    if (!b->expected || !b->order)
        return VG_NOMEM;
    enum vg_err e = b->model->fit(&in, b->params, &b->state, d);
    if (e == VG_OK)
        e = b->model->predict(b->state, &in, w, b->expected, d);
    if (e)
        return e;
    vg_forecast_rank(b->expected, n, b->order);
    size_t top = q->top > 0 && q->top < n ? q->top : n;
    b->explain = vg_calloc(top * VG_BRIEFING_EXPLAIN + 1, sizeof *b->explain);
    b->nexplain = vg_calloc(top + 1, sizeof *b->nexplain);
    if (!b->explain || !b->nexplain)
        return VG_NOMEM;
    /* Explaining a place costs a pass over the history; only the places a
     * reader looks at (the first VG_BRIEFING_EXPLAINED ranks) get one. */
    for (size_t k = 0; k < top && k < VG_BRIEFING_EXPLAINED && b->model->explain; k++)
        b->nexplain[k] = b->model->explain(b->state, &in, w, b->order[k],
                                           &b->explain[k * VG_BRIEFING_EXPLAIN],
                                           VG_BRIEFING_EXPLAIN);
    b->fc.top = top;
    return VG_OK;
}

enum vg_err vg_briefing_run(struct vg_ctx *ctx, const struct vg_briefing_req *q,
                            struct vg_briefing *b, struct vg_diag *d)
{
    return vg_briefing_run_full(ctx, q, NULL, 0, b, d);
}

enum vg_err vg_briefing_run_override(struct vg_ctx *ctx,
                                     const struct vg_briefing_req *q,
                                     int include_police_activity,
                                     struct vg_briefing *b, struct vg_diag *d)
{
    return vg_briefing_run_full(ctx, q, NULL, include_police_activity, b, d);
}

enum vg_err vg_briefing_run_limited(struct vg_ctx *ctx, const struct vg_briefing_req *q,
                                    const struct vg_briefing_limits *lim,
                                    struct vg_briefing *b, struct vg_diag *d)
{
    return vg_briefing_run_full(ctx, q, lim, 0, b, d);
}

enum vg_err vg_briefing_run_full(struct vg_ctx *ctx, const struct vg_briefing_req *q,
                                 const struct vg_briefing_limits *lim,
                                 int include_police_activity,
                                 struct vg_briefing *b, struct vg_diag *d)
{
    memset(b, 0, sizeof *b);
    vg_events_init(&b->all);
    vg_events_init(&b->past);
    enum vg_err e = load(ctx, q, lim, include_police_activity, b, d);
    if (e == VG_OK)
        e = fit_predict(ctx, q, b, d);
    if (e)
        return e;
    struct vg_forecast *fc = &b->fc;
    fc->model = b->model;
    fc->params = b->params;
    if (b->model->fitted)
        fc->nfitted = b->model->fitted(b->state, fc->fitted_names, fc->fitted, 16);
    fc->categories = b->categories;
    fc->units_spec = b->units_spec;
    fc->units = &b->units;
    fc->to_lonlat = b->to_ll;
    fc->area_ids = b->areas ? (const char *const *)b->areas->id : NULL;
    fc->area_names = b->areas ? (const char *const *)b->areas->name : NULL;
    fc->nareas = b->areas ? b->areas->n : 0;
    fc->tz = ctx->tz;
    vg_events_digest(&b->past, fc->data_digest);
    fc->nevents = b->past.n;
    fc->expected = b->expected;
    fc->order = b->order;
    fc->explain = b->explain;
    fc->nexplain_of = b->nexplain;
    fc->nexplain = VG_BRIEFING_EXPLAIN;
    evidence(ctx, q, b);
    fc->evidence = b->evidence;
    return VG_OK;
}

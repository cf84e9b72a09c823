/*
 * cmd_forecast.c — `vigie forecast` and `vigie models list`.
 * The model sees only an owned copy of the events strictly before the
 * window start, so nothing later can leak into a forecast.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/geoglue.h"
#include "geo/areas.h"
#include "geo/proj.h"
#include "model/model.h"
#include "report/forecast_out.h"

#define MAX_EXPLAIN 5

enum vg_err vg_cmd_models_list(int argc, char **argv, struct vg_diag *d)
{
    (void)argc, (void)argv, (void)d;
    for (size_t i = 0; i < vg_model_count(); i++) {
        const struct vg_model_ops *m = vg_model_at(i);
        printf("%-12s %s\n", m->name, m->summary);
        if (m->citation && *m->citation)
            printf("%-12s   %s\n", "", m->citation);
        for (size_t k = 0; k < m->nparams; k++) {
            const struct vg_param_def *p = &m->params[k];
            printf("%-12s   %-14s default %-8g [%g, %g]  %s\n", "", p->name, p->def, p->min,
                   p->max, p->help);
        }
    }
    return VG_OK;
}

/* Everything a forecast run needs, loaded from the store. */
struct run {
    struct vg_ctx ctx;
    int ctx_open;
    struct vg_units units;
    struct vg_areas *areas;
    struct vg_proj *to_ll;
    struct vg_events all, past;
    struct vg_weather weather;
    double *expected;
    size_t *order;
    struct vg_contrib *explain;
    size_t *nexplain;
    void *state;
    const struct vg_model_ops *model;
};

static void run_free(struct run *r)
{
    if (r->model && r->state)
        r->model->free(r->state);
    vg_free(r->expected);
    vg_free(r->order);
    vg_free(r->explain);
    vg_free(r->nexplain);
    vg_events_free(&r->all);
    vg_events_free(&r->past);
    vg_weather_free(&r->weather);
    vg_units_free(&r->units);
    vg_areas_free(r->areas);
    vg_proj_free(r->to_ll);
    if (r->ctx_open)
        vg_ctx_close(&r->ctx);
}

enum vg_err vg_cmd_forecast(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "model", "param", "date", "shift", "category",
                                        "units", "top", "format", "lang", "threads", NULL};
    struct vg_args a;
    struct run r;
    struct vg_buf out;
    memset(&r, 0, sizeof r);
    vg_events_init(&r.all);
    vg_events_init(&r.past);
    vg_buf_init(&out, 0);
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    if (e)
        return e;
    const char *db = vg_args_need(&a, "db", d);
    const char *date = db ? vg_args_need(&a, "date", d) : NULL;
    const char *cat = date ? vg_args_need(&a, "category", d) : NULL;
    if (cat == NULL)
        return VG_USAGE;
    const char *mname = vg_args_get(&a, "model", "kde");
    r.model = vg_model_find(mname);
    if (r.model == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "unknown model \"%s\" (see `vigie models list`)", mname);
    double params[VG_MODEL_MAX_PARAMS];
    const char *kv[VG_ARGS_MAX];
    size_t nkv = vg_args_all(&a, "param", kv, VG_ARGS_MAX);
    e = vg_model_params(r.model, kv, nkv, params, d);
    int y, m, dd;
    struct vg_shift shift;
    if (e == VG_OK && vg_parse_date(date, &y, &m, &dd))
        e = vg_fail(d, VG_USAGE, "", 0, 0, "--date \"%s\" must be YYYY-MM-DD", date);
    if (e == VG_OK)
        e = vg_shift_parse(vg_args_get(&a, "shift", "night"), &shift, d);
    long top = 0, threads = 2;
    if (e == VG_OK)
        e = vg_args_long(&a, "top", 0, &top, d);
    if (e == VG_OK)
        e = vg_args_long(&a, "threads", 2, &threads, d);
    if (e)
        return e;
    e = vg_ctx_open(&r.ctx, db, 0, d);
    if (e)
        return e;
    r.ctx_open = 1;
    struct vg_window w;
    int32_t cats[64];
    size_t ncats = 0;
    e = vg_taxonomy_select(&r.ctx.tax, cat, cats, 64, &ncats, d);
    if (e == VG_OK)
        e = vg_shift_window(r.ctx.tz, &shift, y, m, dd, &w.start, &w.end);
    const char *uspec = vg_args_get(&a, "units", "grid:150");
    if (e == VG_OK)
        e = vg_geoglue_units(&r.ctx, uspec, &r.units, &r.areas, &r.to_ll, d);
    struct vg_event_filter f = {cats, ncats, 0, 0, -1, -1, -1};
    if (e == VG_OK)
        e = vg_store_events(r.ctx.store, &f, &r.all, d);
    if (e == VG_OK)
        e = vg_events_copy_before(&r.all, w.start, NULL, 0, &r.past);
    if (e == VG_OK && r.past.n == 0)
        e = vg_fail(d, VG_NOTFOUND, "", 0, 0, "no %s events before %s: nothing to learn from", cat, date);
    if (e == VG_OK && r.ctx.store->ops->weather_load(r.ctx.store, NULL, &r.weather, d) != VG_OK)
        memset(&r.weather, 0, sizeof r.weather);
    if (e)
        goto out;
    struct vg_model_input in = {&r.past, &r.units, r.ctx.tz, r.weather.ndays ? &r.weather : NULL,
                                NULL, w.start, threads > 0 ? (int)threads : 1};
    r.expected = vg_calloc(r.units.n, sizeof *r.expected);
    r.order = vg_calloc(r.units.n, sizeof *r.order);
    if (!r.expected || !r.order) {
        e = VG_NOMEM;
        goto out;
    }
    e = r.model->fit(&in, params, &r.state, d);
    if (e == VG_OK)
        e = r.model->predict(r.state, &in, &w, r.expected, d);
    if (e)
        goto out;
    vg_forecast_rank(r.expected, r.units.n, r.order);
    const char *fmt = vg_args_get(&a, "format", "table");
    size_t ntop = top > 0 ? (size_t)top : (!strcmp(fmt, "table") ? 20 : r.units.n);
    if (ntop > r.units.n)
        ntop = r.units.n;
    r.explain = vg_calloc(ntop * MAX_EXPLAIN + 1, sizeof *r.explain);
    r.nexplain = vg_calloc(ntop + 1, sizeof *r.nexplain);
    if (!r.explain || !r.nexplain) {
        e = VG_NOMEM;
        goto out;
    }
    for (size_t k = 0; k < ntop; k++)
        r.nexplain[k] = r.model->explain ? r.model->explain(r.state, &in, &w, r.order[k],
                                                            &r.explain[k * MAX_EXPLAIN], MAX_EXPLAIN) : 0;
    struct vg_forecast fc;
    memset(&fc, 0, sizeof fc);
    fc.model = r.model;
    fc.params = params;
    if (r.model->fitted)
        fc.nfitted = r.model->fitted(r.state, fc.fitted_names, fc.fitted, 16);
    fc.categories = cat;
    fc.units_spec = uspec;
    fc.units = &r.units;
    fc.to_lonlat = r.to_ll;
    fc.area_ids = r.areas ? (const char *const *)r.areas->id : NULL;
    fc.area_names = r.areas ? (const char *const *)r.areas->name : NULL;
    fc.nareas = r.areas ? r.areas->n : 0;
    fc.tz = r.ctx.tz;
    fc.window = w;
    vg_events_digest(&r.past, fc.data_digest);
    fc.nevents = r.past.n;
    fc.expected = r.expected;
    fc.order = r.order;
    fc.top = ntop;
    fc.explain = r.explain;
    fc.nexplain_of = r.nexplain;
    fc.nexplain = MAX_EXPLAIN;
    if (!strcmp(fmt, "json"))
        e = vg_forecast_json(&fc, &out);
    else if (!strcmp(fmt, "geojson"))
        e = vg_forecast_geojson(&fc, &out);
    else if (!strcmp(fmt, "csv"))
        e = vg_forecast_csv(&fc, &out);
    else if (!strcmp(fmt, "table"))
        e = vg_forecast_table(&fc, vg_args_get(&a, "lang", "fr"), &out);
    else
        e = vg_fail(d, VG_USAGE, "", 0, 0, "--format \"%s\" must be table, json, geojson or csv", fmt);
    if (e == VG_OK)
        fwrite(out.p, 1, out.len, stdout);
out:
    vg_buf_free(&out);
    run_free(&r);
    return e;
}

/*
 * cmd_backtest.c — `vigie backtest` (see cmd_backtest.h).  Option parsing,
 * window generation, the run and the writers; the store loading lives in
 * vg_cmd_backtest, the one place left to wire to the store.
 * Memory: windows, model list, result and output buffer are freed before
 * returning.
 */
#include "cli/cmd_backtest.h"
#include "cli/context.h"
#include "cli/geoglue.h"
#include "geo/areas.h"
#include "geo/proj.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "cli/commands.h"
#include "eval/gate.h"
#include "model/model.h"
#include "report/backtest_html.h"
#include "report/backtest_json.h"
#include "report/backtest_table.h"

static const char *const known[] = {
    "db", "models", "from", "to", "shift", "category", "units", "coverage",
    "primary", "nij-km2", "refit", "format", "out", "threads", "seed", "gate",
    NULL};
static const char *const flags[] = {"gate", NULL};

static enum vg_err parse_cover(const char *s, struct vg_backtest_config *c,
                               struct vg_diag *d)
{
    c->ncover = 0;
    while (*s) {
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || errno || (*end != ',' && *end != '\0'))
            return vg_fail(d, VG_USAGE, "", 0, 0, "--coverage \"%s\": expected "
                           "percentages like 1,2,5,10,20", s);
        if (c->ncover == VG_BT_MAX_COVER)
            return vg_fail(d, VG_LIMIT, "", 0, 0, "--coverage: at most %d "
                           "levels", VG_BT_MAX_COVER);
        c->cover[c->ncover++] = v;
        s = *end ? end + 1 : end;
    }
    return VG_OK;
}

enum vg_err vg_backtest_opts_parse(int argc, char **argv,
                                   struct vg_backtest_opts *o,
                                   struct vg_diag *d)
{
    struct vg_args a;
    enum vg_err e;
    long th, seed;
    double prim, nij;
    memset(o, 0, sizeof *o);
    vg_backtest_config_init(&o->cfg);
    if ((e = vg_args_parse(&a, argc, argv, flags, d)) ||
        (e = vg_args_check(&a, known, d)))
        return e;
    o->gate = vg_args_has(&a, "gate");
    if (!(o->db = vg_args_need(&a, "db", d)) ||
        !(o->category = vg_args_need(&a, "category", d)))
        return VG_USAGE;
    o->models = vg_args_get(&a, "models", "");
    o->from = vg_args_get(&a, "from", NULL);
    o->to = vg_args_get(&a, "to", NULL);
    if (!o->gate && (!o->from || !o->to))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--from and --to are required "
                       "(or --gate for the held-out months)");
    o->shift = vg_args_get(&a, "shift", "night");
    o->units = vg_args_get(&a, "units", "grid:150");
    o->format = vg_args_get(&a, "format", "table");
    o->out = vg_args_get(&a, "out", NULL);
    if (strcmp(o->format, "table") && strcmp(o->format, "json") &&
        strcmp(o->format, "html"))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--format \"%s\": expected "
                       "table, json or html", o->format);
    if (vg_args_has(&a, "coverage") &&
        (e = parse_cover(vg_args_get(&a, "coverage", ""), &o->cfg, d)))
        return e;
    double defp = o->cfg.ncover > 2 ? o->cfg.cover[o->cfg.ncover / 2] : o->cfg.cover[0];
    for (size_t k = 0; k < o->cfg.ncover; k++)
        if (o->cfg.cover[k] == 5)
            defp = 5;
    if ((e = vg_args_double(&a, "primary", defp, &prim, d)) ||
        (e = vg_args_double(&a, "nij-km2", 0, &nij, d)) ||
        (e = vg_args_long(&a, "threads", 0, &th, d)) ||
        (e = vg_args_long(&a, "seed", 20240601, &seed, d)) ||
        (e = vg_refit_parse(vg_args_get(&a, "refit", "weekly"), &o->cfg.refit, d)))
        return e;
    if (th < 0 || th > 256 || nij < 0)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--threads 0..256 and "
                       "--nij-km2 >= 0 expected");
    o->cfg.primary = prim, o->cfg.nij_km2 = nij, o->cfg.threads = (int)th;
    o->cfg.seed = (uint64_t)seed;
    return VG_OK;
}

enum vg_err vg_backtest_windows(const struct vg_tz *tz, const char *shift,
                                const char *from, const char *to,
                                struct vg_bt_window **win, size_t *n,
                                struct vg_diag *d)
{
    struct vg_shift sh;
    int y0, m0, d0, y1, m1, d1;
    enum vg_err e;
    *win = NULL, *n = 0;
    if ((e = vg_shift_parse(shift, &sh, d)))
        return e;
    if (vg_parse_date(from, &y0, &m0, &d0) || vg_parse_date(to, &y1, &m1, &d1))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--from \"%s\" / --to \"%s\": "
                       "expected YYYY-MM-DD", from, to);
    int64_t a = vg_days_from_civil(y0, m0, d0), b = vg_days_from_civil(y1, m1, d1);
    if (b < a || b - a >= VG_BT_MAX_WINDOWS)
        return vg_fail(d, b < a ? VG_USAGE : VG_LIMIT, "", 0, 0, "--from %s "
                       "--to %s: expected from <= to and at most %d nights",
                       from, to, VG_BT_MAX_WINDOWS);
    if ((*win = vg_calloc((size_t)(b - a + 1), sizeof **win)) == NULL)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
    for (int64_t day = a; day <= b; day++) {
        int y, m, dd;
        struct vg_bt_window *w = &(*win)[*n];
        vg_civil_from_days(day, &y, &m, &dd);
        if ((e = vg_shift_window(tz, &sh, y, m, dd, &w->start, &w->end))) {
            vg_free(*win);
            *win = NULL, *n = 0;
            return vg_fail(d, e, "", 0, 0, "shift window of %04d-%02d-%02d", y, m, dd);
        }
        w->day = day;
        (*n)++;
    }
    return VG_OK;
}

static enum vg_err write_out(const struct vg_backtest_opts *o,
                             const struct vg_buf *b, struct vg_diag *d)
{
    FILE *f = o->out ? fopen(o->out, "w") : stdout;
    if (f == NULL)
        return vg_fail(d, VG_IO, o->out, 0, 0, "cannot create: %s", strerror(errno));
    size_t w = fwrite(b->p, 1, b->len, f);
    int bad = w != b->len || (o->out ? fclose(f) : fflush(f)) != 0;
    return bad ? vg_fail(d, VG_IO, o->out ? o->out : "stdout", 0, 0,
                         "write failed: %s", strerror(errno))
               : VG_OK;
}

/* --gate: one verdict per non-baseline model, on stderr for the table and
 * JSON formats (stdout stays the document), inside the HTML summary. */
static void verdicts(const struct vg_backtest_result *r, struct vg_buf *b,
                     struct vg_gate_verdict *first)
{
    int have = 0;
    for (size_t m = 0; m < r->nmodels; m++) {
        struct vg_gate_verdict v;
        if (r->models[m].baseline || vg_gate_decide(r, m, NULL, &v, NULL))
            continue;
        if (!have++)
            *first = v;
        vg_buf_printf(b, "gate: %s: %s %s\n", r->models[m].name,
                      v.publishable ? "PUBLISHABLE," : "NOT publishable:",
                      v.publishable ? v.evidence : v.reason);
    }
}

enum vg_err vg_backtest_exec(const struct vg_backtest_opts *o,
                             const struct vg_events *all, const int32_t *cats,
                             size_t ncats, const struct vg_units *u,
                             const struct vg_tz *tz,
                             const struct vg_weather *weather,
                             const struct vg_calendar *cal, struct vg_diag *d)
{
    struct vg_bt_window *win = NULL;
    struct vg_spec_model *ms = NULL;
    struct vg_backtest_result r;
    struct vg_buf b, g;
    struct vg_gate_verdict v;
    size_t nwin = 0, nm = 0;
    char from[16], to[16];
    enum vg_err e;
    memset(&r, 0, sizeof r);
    memset(&v, 0, sizeof v);
    vg_buf_init(&b, 0), vg_buf_init(&g, 0);
    const char *f = o->from, *t = o->to;
    if (o->gate && (!f || !t) && all->n > 0) {
        struct vg_civil c;
        int64_t a, z;
        vg_tz_to_local(tz, all->t[all->n - 1], &c, NULL);
        vg_gate_period(vg_days_from_civil(c.year, c.month, c.day),
                       VG_GATE_MONTHS, &a, &z);
        vg_backtest_date(a, from), vg_backtest_date(z, to);
        f = f ? f : from, t = t ? t : to;
    }
    if ((e = vg_backtest_windows(tz, o->shift, f ? f : "", t ? t : "", &win,
                                 &nwin, d)) ||
        (e = vg_spec_with_baselines(o->models, vg_model_find, &ms, &nm, d)))
        goto out;
    struct vg_backtest_config c = o->cfg;
    c.models = ms, c.nmodels = nm, c.win = win, c.nwin = nwin;
    c.cats = cats, c.ncats = ncats, c.tz = tz, c.weather = weather, c.cal = cal;
    if ((e = vg_backtest_run(&c, all, u, &r, d)))
        goto out;
    if (o->gate)
        verdicts(&r, &g, &v);
    if (o->verdict && g.len)
        *o->verdict = v;
    struct vg_html_opts ho = {NULL, o->category, NULL, o->shift,
                              o->gate && g.len ? &v : NULL};
    if (!strcmp(o->format, "json"))
        e = vg_backtest_json(&r, &b);
    else if (!strcmp(o->format, "html"))
        e = vg_backtest_html(&r, &ho, &b);
    else
        e = vg_backtest_table(&r, &b);
    if (e == VG_OK)
        e = write_out(o, &b, d);
    if (e == VG_OK && o->html)
        e = vg_backtest_html(&r, &ho, o->html);
    if (e == VG_OK && g.len)
        fputs(g.p, !strcmp(o->format, "table") && !o->out ? stdout : stderr);
out:
    vg_backtest_result_free(&r);
    vg_buf_free(&b), vg_buf_free(&g);
    vg_free(win), vg_free(ms);
    return e;
}

enum vg_err vg_cmd_backtest(int argc, char **argv, struct vg_diag *d)
{
    struct vg_backtest_opts o;
    enum vg_err e = vg_backtest_opts_parse(argc, argv, &o, d);
    return e ? e : vg_backtest_cmd_run(&o, d);
}

enum vg_err vg_bt_data_open(struct vg_bt_data *b, const char *db, const char *category,
                            const char *units, struct vg_diag *d)
{
    memset(b, 0, sizeof *b);
    vg_events_init(&b->all);
    enum vg_err e = vg_ctx_open(&b->ctx, db, 0, d);
    if (e != VG_OK)
        return e;
    b->open = 1;
    e = vg_taxonomy_select(&b->ctx.tax, category, b->cats, 64, &b->ncats, d);
    if (e == VG_OK)
        e = vg_geoglue_units(&b->ctx, units ? units : "grid:150", &b->units, &b->areas,
                             &b->to_ll, d);
    struct vg_event_filter f = {b->cats, b->ncats, 0, 0, -1, -1, -1};
    if (e == VG_OK)
        e = vg_store_events(b->ctx.store, &f, &b->all, d);
    if (e == VG_OK &&
        b->ctx.store->ops->weather_load(b->ctx.store, NULL, &b->weather, d) != VG_OK)
        memset(&b->weather, 0, sizeof b->weather);
    if (e)
        vg_bt_data_close(b);
    return e;
}

void vg_bt_data_close(struct vg_bt_data *b)
{
    if (b == NULL)
        return;
    vg_weather_free(&b->weather);
    vg_events_free(&b->all);
    vg_units_free(&b->units);
    vg_areas_free(b->areas);
    vg_proj_free(b->to_ll);
    if (b->open)
        vg_ctx_close(&b->ctx);
    memset(b, 0, sizeof *b);
}

enum vg_err vg_backtest_cmd_run(const struct vg_backtest_opts *o, struct vg_diag *d)
{
    struct vg_bt_data b;
    enum vg_err e = vg_bt_data_open(&b, o->db, o->category, o->units, d);
    if (e == VG_OK)
        e = vg_backtest_exec(o, &b.all, b.cats, b.ncats, &b.units, b.ctx.tz,
                             b.weather.ndays ? &b.weather : NULL, NULL, d);
    vg_bt_data_close(&b);
    return e;
}

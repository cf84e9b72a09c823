/*
 * cmd_fairness.c — `vigie audit feedback` (the patrol feedback-loop
 * simulator, audit/feedback.h) and `vigie audit fairness` (per-area shares
 * of flagged places, audit/fairness.h).  Thin layers: parse, load from the
 * store, run, write.  Memory: everything loaded is freed before returning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/auditlog.h"
#include "audit/fairness.h"
#include "audit/feedback.h"
#include "audit/feedback_out.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "cli/cmd_backtest.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/geoglue.h"
#include "geo/areas.h"
#include "geo/proj.h"
#include "model/model.h"
#include "report/briefing.h"
#include "report/forecast_out.h"

/* What both commands load: the study, its units and the category's events. */
struct study {
    struct vg_ctx ctx;
    int open;
    struct vg_units units;
    struct vg_areas *areas;
    struct vg_proj *to_ll;
    struct vg_events all;
    int32_t cats[64];
    size_t ncats;
};

static enum vg_err study_open(struct study *s, const char *db, const char *cat,
                              const char *units, struct vg_diag *d)
{
    memset(s, 0, sizeof *s);
    vg_events_init(&s->all);
    enum vg_err e = vg_ctx_open(&s->ctx, db, 0, d);
    if (e)
        return e;
    s->open = 1;
    e = vg_taxonomy_select(&s->ctx.tax, cat, s->cats, 64, &s->ncats, d);
    if (e == VG_OK)
        e = vg_geoglue_units(&s->ctx, units, &s->units, &s->areas, &s->to_ll, d);
    return e;
}

/* The category's events with t in [t0, t1). */
static enum vg_err study_load(struct study *s, int64_t t0, int64_t t1, struct vg_diag *d)
{
    struct vg_event_filter f = {s->cats, s->ncats, t0, t1, -1, -1, -1};
    return vg_store_events(s->ctx.store, &f, &s->all, d);
}

static void study_close(struct study *s)
{
    vg_events_free(&s->all);
    vg_units_free(&s->units);
    vg_areas_free(s->areas);
    vg_proj_free(s->to_ll);
    if (s->open)
        vg_ctx_close(&s->ctx);
}

static enum vg_err write_buf(const char *path, const struct vg_buf *b, struct vg_diag *d)
{
    FILE *f = path ? fopen(path, "w") : stdout;
    if (f == NULL)
        return vg_fail(d, VG_IO, path, 0, 0, "cannot write the output file");
    size_t n = fwrite(b->p, 1, b->len, f);
    int bad = n != b->len || (path ? fclose(f) != 0 : fflush(f) != 0);
    return bad ? vg_fail(d, VG_IO, path ? path : "stdout", 0, 0, "write failed") : VG_OK;
}

/* Daily windows [00:00, 24:00) local, from..to inclusive. */
static enum vg_err days_of(const struct vg_tz *tz, const char *from, const char *to,
                           struct vg_window **out, size_t *n, struct vg_diag *d)
{
    struct vg_bt_window *bw = NULL;
    enum vg_err e = vg_backtest_windows(tz, "00:00-24:00", from, to, &bw, n, d);
    if (e)
        return e;
    *out = vg_calloc(*n + 1, sizeof **out);
    if (*out == NULL)
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
    for (size_t i = 0; e == VG_OK && i < *n; i++)
        (*out)[i].start = bw[i].start, (*out)[i].end = bw[i].end;
    vg_free(bw);
    return e;
}

/* ---- vigie audit feedback ---- */

struct fb_opts {
    const char *db, *cat, *from, *to, *units, *format, *out, *corr, *model;
    const char *kv[VG_ARGS_MAX];
    size_t nkv;
    long patrols, dosage, history, seed;
    double report, discover;
    int reference; /* add a run without discovery (no feedback at all) */
};

static enum vg_err fb_parse(int argc, char **argv, struct fb_opts *o, struct vg_diag *d)
{
    static const char *const known[] = {"db", "category", "from", "to", "patrols",
                                        "correction", "format", "out", "model", "param",
                                        "units", "report-rate", "discovery-rate",
                                        "dosage-days", "history-days", "seed", "reference",
                                        NULL};
    static const char *const flags[] = {"reference", NULL};
    struct vg_args a;
    enum vg_err e = vg_args_parse(&a, argc, argv, flags, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    if (e)
        return e;
    memset(o, 0, sizeof *o);
    if (!(o->db = vg_args_need(&a, "db", d)) || !(o->cat = vg_args_need(&a, "category", d)) ||
        !(o->from = vg_args_need(&a, "from", d)) || !(o->to = vg_args_need(&a, "to", d)))
        return VG_USAGE;
    o->units = vg_args_get(&a, "units", "grid:500");
    o->format = vg_args_get(&a, "format", "table");
    o->out = vg_args_get(&a, "out", NULL);
    o->corr = vg_args_get(&a, "correction", "both");
    o->model = vg_args_get(&a, "model", "naive");
    o->nkv = vg_args_all(&a, "param", o->kv, VG_ARGS_MAX);
    o->reference = vg_args_has(&a, "reference");
    if ((e = vg_args_long(&a, "patrols", 20, &o->patrols, d)) ||
        (e = vg_args_long(&a, "dosage-days", 28, &o->dosage, d)) ||
        (e = vg_args_long(&a, "history-days", 365, &o->history, d)) ||
        (e = vg_args_long(&a, "seed", 20180101, &o->seed, d)) ||
        (e = vg_args_double(&a, "report-rate", 0.5, &o->report, d)) ||
        (e = vg_args_double(&a, "discovery-rate", 0.5, &o->discover, d)))
        return e;
    if (strcmp(o->format, "table") && strcmp(o->format, "json") && strcmp(o->format, "svg"))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--format \"%s\" must be table, json or svg", o->format);
    if (strcmp(o->corr, "both") && strcmp(o->corr, "none") && strcmp(o->corr, "ensign"))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--correction \"%s\" must be none, ensign or both", o->corr);
    if (o->patrols < 1 || o->dosage < 1 || o->dosage > 365 || o->history < 0 ||
        !(o->report >= 0 && o->report <= 1) || !(o->discover >= 0 && o->discover <= 1))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--patrols >= 1, 1 <= --dosage-days <= 365, "
                       "--history-days >= 0, rates in [0, 1]");
    return VG_OK;
}

static enum vg_err fb_write(const struct fb_opts *o, const struct vg_fb_out *fo,
                            struct vg_diag *d)
{
    struct vg_buf b;
    vg_buf_init(&b, 0);
    enum vg_err e = !strcmp(o->format, "json") ? vg_fb_json(fo, &b)
                    : !strcmp(o->format, "svg") ? vg_fb_svg(fo, &b)
                                                : vg_fb_table(fo, &b);
    if (e == VG_OK)
        e = write_buf(o->out, &b, d);
    vg_buf_free(&b);
    return e;
}

enum vg_err vg_cmd_audit_feedback(int argc, char **argv, struct vg_diag *d)
{
    struct fb_opts o;
    struct study s;
    struct vg_window *days = NULL;
    struct vg_fb_result res[3];
    double params[VG_MODEL_MAX_PARAMS];
    size_t ndays = 0, nruns = 0;
    memset(res, 0, sizeof res);
    enum vg_err e = fb_parse(argc, argv, &o, d);
    if (e)
        return e;
    const struct vg_model_ops *m = vg_model_find(o.model);
    if (m == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "unknown model \"%s\" (see `vigie models list`)", o.model);
    if ((e = vg_model_params(m, o.kv, o.nkv, params, d)))
        return e;
    e = study_open(&s, o.db, o.cat, o.units, d);
    if (e == VG_OK)
        e = days_of(s.ctx.tz, o.from, o.to, &days, &ndays, d);
    if (e == VG_OK) /* the truth: history-days before --from, then the replay */
        e = study_load(&s, days[0].start - (int64_t)o.history * 86400, days[ndays - 1].end, d);
    struct vg_fb_config c = {m, params, &s.units, s.ctx.tz, days, ndays, (size_t)o.patrols,
                             o.report, o.discover, (int)o.dosage, VG_FB_NONE,
                             (uint64_t)o.seed};
    struct vg_fb_out fo = {o.model, s.units.n, (size_t)o.patrols, o.report, o.discover,
                           (int)o.dosage, (uint64_t)o.seed, s.ctx.tz, days, ndays,
                           {NULL}, {NULL}, 0};
    for (int r = 0; r < 3 && e == VG_OK; r++) {
        c.corr = r == 1 ? VG_FB_ENSIGN : VG_FB_NONE;
        c.discover_rate = r == 2 ? 0 : o.discover;
        if (r == 2 ? !o.reference
                   : strcmp(o.corr, "both") && strcmp(o.corr, vg_fb_corr_name(c.corr)))
            continue;
        e = vg_fb_simulate(&c, &s.all, &res[nruns], d);
        fo.run[nruns] = &res[nruns];
        fo.name[nruns++] = r == 2 ? "no-discovery" : vg_fb_corr_name(c.corr);
    }
    fo.nruns = nruns;
    if (e == VG_OK)
        e = fb_write(&o, &fo, d);
    for (int r = 0; r < 3; r++)
        vg_fb_result_free(&res[r]);
    vg_free(days);
    study_close(&s);
    return e;
}

/* ---- vigie audit urn ---- */

enum vg_err vg_cmd_audit_urn(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"rates", "days", "runs", "seed", NULL};
    struct vg_args a;
    long days = 1000, runs = 200, seed = 20180101;
    double la, lb, *sh[2] = {NULL, NULL}, *sd[2] = {NULL, NULL};
    char *end = NULL;
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    if (e == VG_OK && ((e = vg_args_long(&a, "days", 1000, &days, d)) ||
                       (e = vg_args_long(&a, "runs", 200, &runs, d)) ||
                       (e = vg_args_long(&a, "seed", 20180101, &seed, d))))
        return e;
    if (e)
        return e;
    const char *rates = vg_args_get(&a, "rates", "0.3,0.2");
    la = strtod(rates, &end);
    lb = end && *end == ',' ? strtod(end + 1, &end) : -1;
    if (!end || *end || !(la > 0 && la <= 1 && lb > 0 && lb <= 1) || days < 1 ||
        days > 1000000 || runs < 1 || runs > 100000)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--rates \"%s\" must be two rates in (0, 1] "
                       "(\"0.3,0.2\"); 1 <= --days <= 1e6, 1 <= --runs <= 1e5", rates);
    for (int c = 0; c < 2; c++) {
        sh[c] = vg_calloc((size_t)days, sizeof(double));
        sd[c] = vg_calloc((size_t)days, sizeof(double));
        if (!sh[c] || !sd[c]) {
            e = vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
            goto out;
        }
        vg_fb_urn(la, lb, (size_t)days, (size_t)runs, c ? VG_FB_ENSIGN : VG_FB_NONE,
                  (uint64_t)seed, sh[c], sd[c]);
    }
    printf("Ensign et al. urn: discovery rates A %.3g, B %.3g; %ld runs; true share of A %.3f\n",
           la, lb, runs, la / (la + lb));
    printf("%8s  %-22s  %-22s\n", "day", "none: share A (sd)", "ensign: share A (sd)");
    for (long t = 1; t <= days; t *= 10) {
        long k = t - 1;
        printf("%8ld  %8.3f (%5.3f)        %8.3f (%5.3f)\n", t, sh[0][k], sd[0][k], sh[1][k], sd[1][k]);
    }
    if (days != 1 && days % 10)
        printf("%8ld  %8.3f (%5.3f)        %8.3f (%5.3f)\n", days, sh[0][days - 1],
               sd[0][days - 1], sh[1][days - 1], sd[1][days - 1]);
out:
    for (int c = 0; c < 2; c++)
        vg_free(sh[c]), vg_free(sd[c]);
    return e;
}

/* ---- vigie audit fairness ---- */

struct fair_opts {
    const char *db, *layer, *cat, *from, *to, *model, *units, *shift, *format, *refit;
    const char *kv[VG_ARGS_MAX];
    size_t nkv;
    double coverage;
};

static enum vg_err fair_parse(int argc, char **argv, struct fair_opts *o, struct vg_diag *d)
{
    static const char *const known[] = {"db", "layer", "category", "from", "to", "model",
                                        "param", "coverage", "units", "shift", "refit",
                                        "format", "threads", NULL};
    struct vg_args a;
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    if (e)
        return e;
    memset(o, 0, sizeof *o);
    if (!(o->db = vg_args_need(&a, "db", d)) || !(o->layer = vg_args_need(&a, "layer", d)) ||
        !(o->cat = vg_args_need(&a, "category", d)) || !(o->from = vg_args_need(&a, "from", d)) ||
        !(o->to = vg_args_need(&a, "to", d)) || !(o->model = vg_args_need(&a, "model", d)))
        return VG_USAGE;
    o->units = vg_args_get(&a, "units", "grid:150");
    o->shift = vg_args_get(&a, "shift", "night");
    o->format = vg_args_get(&a, "format", "table");
    o->refit = vg_args_get(&a, "refit", "weekly");
    o->nkv = vg_args_all(&a, "param", o->kv, VG_ARGS_MAX);
    if ((e = vg_args_double(&a, "coverage", 5, &o->coverage, d)))
        return e;
    if (!(o->coverage > 0 && o->coverage <= 100))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--coverage %g must be in (0, 100] (%% of the area)", o->coverage);
    if (strcmp(o->format, "table") && strcmp(o->format, "json"))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--format \"%s\" must be table or json", o->format);
    return VG_OK;
}

static double nan0(double v)
{
    return v == v ? v : 0;
}

static void fair_table(const struct fair_opts *o, const struct vg_fairness *f,
                       const struct vg_areas *lay, struct vg_buf *b)
{
    vg_buf_printf(b, "fairness audit: %s on %s, %s, %s..%s, %zu windows (%s), %.3g%% of the area "
                  "flagged per window, layer %s\n", o->model, o->cat, o->units, o->from, o->to,
                  f->windows, o->shift, o->coverage, o->layer);
    vg_buf_printf(b, "hit rate: reported %.1f%% (%.0f incidents), discovered %s (%.0f), all %.1f%%\n",
                  100 * nan0(f->hit_rate_reported), f->reported,
                  f->discovered > 0 ? "" : "n/a", f->discovered, 100 * nan0(f->hit_rate_all));
    if (f->discovered > 0)
        vg_buf_printf(b, "          discovered %.1f%%\n", 100 * f->hit_rate_discovered);
    vg_buf_adds(b, "patrol dosage: not logged (the store has no patrol log)\n");
    vg_buf_printf(b, "%-8s %-28s %9s %9s %9s %7s %9s %8s\n", "area", "name", "flagged%",
                  "reported%", "pop%", "ratio", "reported", "hit_rep%");
    for (size_t i = 0; i < f->nareas; i++) {
        const struct vg_fair_area *A = &f->a[i];
        char pop[16], ratio[16], hr[16];
        snprintf(pop, sizeof pop, A->pop_share == A->pop_share ? "%.2f" : "-", 100 * A->pop_share);
        snprintf(ratio, sizeof ratio, A->flagged_to_reported == A->flagged_to_reported ? "%.2f" : "-",
                 A->flagged_to_reported);
        snprintf(hr, sizeof hr, A->hit_rate_reported == A->hit_rate_reported ? "%.1f" : "-",
                 100 * A->hit_rate_reported);
        vg_buf_printf(b, "%-8.8s %-28.28s %9.2f %9.2f %9s %7s %9.0f %8s\n", lay->id[i], lay->name[i],
                      100 * A->flagged_share, 100 * A->reported_share, pop, ratio, A->reported, hr);
    }
}

static void json_num(struct vg_buf *b, const char *key, double v)
{
    vg_buf_printf(b, ",\"%s\":", key);
    if (v == v)
        vg_buf_json_num(b, v);
    else
        vg_buf_adds(b, "null");
}

static void fair_json(const struct fair_opts *o, const struct vg_fairness *f,
                      const struct vg_areas *lay, struct vg_buf *b)
{
    vg_buf_adds(b, "{\"model\":");
    vg_buf_json_str(b, o->model, strlen(o->model));
    vg_buf_adds(b, ",\"category\":");
    vg_buf_json_str(b, o->cat, strlen(o->cat));
    vg_buf_adds(b, ",\"layer\":");
    vg_buf_json_str(b, o->layer, strlen(o->layer));
    vg_buf_printf(b, ",\"from\":\"%s\",\"to\":\"%s\",\"coverage_pct\":%g,\"windows\":%zu",
                  o->from, o->to, o->coverage, f->windows);
    vg_buf_adds(b, ",\"patrol_dosage\":\"not logged\",\"hit_rate\":{\"reported\":");
    vg_buf_adds(b, f->hit_rate_reported == f->hit_rate_reported ? "" : "null");
    if (f->hit_rate_reported == f->hit_rate_reported)
        vg_buf_json_num(b, f->hit_rate_reported);
    json_num(b, "discovered", f->hit_rate_discovered);
    json_num(b, "all", f->hit_rate_all);
    vg_buf_printf(b, "},\"incidents\":{\"reported\":%.0f,\"discovered\":%.0f,\"other\":%.0f,"
                  "\"outside_areas\":%.0f},\"flagged_unit_windows\":%.0f,\"areas\":[",
                  f->reported, f->discovered, f->other, f->outside, f->flagged);
    for (size_t i = 0; i < f->nareas; i++) {
        const struct vg_fair_area *A = &f->a[i];
        vg_buf_adds(b, i ? ",{\"id\":" : "{\"id\":");
        vg_buf_json_str(b, lay->id[i], strlen(lay->id[i]));
        vg_buf_adds(b, ",\"name\":");
        vg_buf_json_str(b, lay->name[i], strlen(lay->name[i]));
        json_num(b, "flagged_unit_windows", A->flagged);
        json_num(b, "flagged_share", A->flagged_share);
        json_num(b, "reported", A->reported);
        json_num(b, "reported_share", A->reported_share);
        json_num(b, "discovered", A->discovered);
        json_num(b, "population", A->pop);
        json_num(b, "population_share", A->pop_share);
        json_num(b, "flagged_to_reported", A->flagged_to_reported);
        json_num(b, "hit_rate_reported", A->hit_rate_reported);
        json_num(b, "hit_rate_discovered", A->hit_rate_discovered);
        vg_buf_adds(b, "}");
    }
    vg_buf_adds(b, "]}\n");
}

/* Run the model over the windows (the backtest driver: owned copies of the
 * past, refit periods) and keep each window's flagged units. */
static enum vg_err fair_run(const struct fair_opts *o, struct study *s,
                            const struct vg_bt_window *win, size_t nwin,
                            struct vg_backtest_result *r, struct vg_diag *d)
{
    struct vg_spec_model m;
    struct vg_backtest_config c;
    memset(&m, 0, sizeof m);
    m.ops = vg_model_find(o->model);
    if (m.ops == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "unknown model \"%s\" (see `vigie models list`)", o->model);
    enum vg_err e = vg_model_params(m.ops, o->kv, o->nkv, m.params, d);
    if (e)
        return e;
    snprintf(m.name, sizeof m.name, "%s", o->model);
    vg_backtest_config_init(&c);
    if ((e = vg_refit_parse(o->refit, &c.refit, d)))
        return e;
    c.models = &m, c.nmodels = 1, c.win = win, c.nwin = nwin;
    c.cats = s->cats, c.ncats = s->ncats, c.tz = s->ctx.tz, c.threads = 2;
    c.cover[0] = o->coverage, c.ncover = 1, c.primary = o->coverage, c.boot_reps = 0;
    return vg_backtest_run(&c, &s->all, &s->units, r, d);
}

static enum vg_err fair_collect(const struct study *s, const struct vg_areas *lay,
                                const struct vg_backtest_result *r, struct vg_fairness *f,
                                struct vg_diag *d)
{
    size_t n = s->units.n, ne = s->all.n;
    int32_t *ua = vg_calloc(n + 1, sizeof *ua), *eu = vg_calloc(ne + 1, sizeof *eu);
    int32_t *ea = vg_calloc(ne + 1, sizeof *ea);
    uint8_t *mark = vg_calloc(n + 1, 1);
    enum vg_err e = ua && eu && ea && mark ? vg_fair_init(f, lay->n, lay->pop, d)
                                           : vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
    if (e == VG_OK) {
        for (size_t i = 0; i < n; i++)
            ua[i] = vg_areas_locate(lay, s->units.cx[i], s->units.cy[i]);
        for (size_t k = 0; k < ne; k++) {
            eu[k] = vg_units_locate(&s->units, s->all.x[k], s->all.y[k]);
            ea[k] = vg_areas_locate(lay, s->all.x[k], s->all.y[k]);
        }
        for (size_t w = 0; w < r->nwin; w++) {
            size_t lo = vg_events_before(&s->all, r->win[w].start);
            size_t hi = vg_events_before(&s->all, r->win[w].end);
            const struct vg_bt_score *sc = &r->score[w];
            vg_fair_window(f, ua, sc->top, sc->ntop, eu + lo, ea + lo, s->all.origin + lo,
                           hi - lo, mark);
        }
        vg_fair_finish(f);
    }
    vg_free(ua), vg_free(eu), vg_free(ea), vg_free(mark);
    return e;
}

enum vg_err vg_cmd_audit_fairness(int argc, char **argv, struct vg_diag *d)
{
    struct fair_opts o;
    struct study s;
    struct vg_areas *lay = NULL;
    struct vg_bt_window *win = NULL;
    struct vg_backtest_result r;
    struct vg_fairness f;
    struct vg_buf b;
    size_t nwin = 0;
    memset(&r, 0, sizeof r);
    memset(&f, 0, sizeof f);
    vg_buf_init(&b, 0);
    enum vg_err e = fair_parse(argc, argv, &o, d);
    if (e)
        return e;
    e = study_open(&s, o.db, o.cat, o.units, d);
    if (e == VG_OK)
        e = vg_geoglue_layer(&s.ctx, o.layer, &lay, d);
    if (e == VG_OK)
        e = vg_backtest_windows(s.ctx.tz, o.shift, o.from, o.to, &win, &nwin, d);
    if (e == VG_OK)
        e = study_load(&s, 0, win[nwin - 1].end, d);
    if (e == VG_OK)
        e = fair_run(&o, &s, win, nwin, &r, d);
    if (e == VG_OK)
        e = fair_collect(&s, lay, &r, &f, d);
    if (e == VG_OK) {
        if (!strcmp(o.format, "json"))
            fair_json(&o, &f, lay, &b);
        else
            fair_table(&o, &f, lay, &b);
        e = write_buf(NULL, &b, d);
    }
    vg_buf_free(&b);
    vg_fair_free(&f);
    vg_backtest_result_free(&r);
    vg_free(win);
    vg_areas_free(lay);
    study_close(&s);
    return e;
}

/* ---- vigie briefing ---- */

/* The police-activity categories of `spec` as "a,b" into out (may be ""). */
static enum vg_err police_cats(const struct vg_ctx *ctx, const char *spec, char *out,
                               size_t cap, struct vg_diag *d)
{
    int32_t cats[64];
    size_t n = 0, len = 0;
    out[0] = '\0';
    enum vg_err e = vg_taxonomy_select(&ctx->tax, spec, cats, 64, &n, d);
    for (size_t i = 0; e == VG_OK && i < n; i++)
        if (vg_briefing_excluded(&ctx->tax, cats[i], NULL) && len < cap) {
            int w = snprintf(out + len, cap - len, "%s%s", len ? "," : "", ctx->tax.cat[cats[i]].code);
            len += w > 0 ? (size_t)w : 0;
        }
    return e == VG_PARSE ? VG_USAGE : e;
}

/* Append the supervisor's override to the audit trail beside the store. */
static enum vg_err log_override(const char *db, const char *by, const char *cats,
                                const char *date, int64_t *seq, struct vg_diag *d)
{
    struct vg_audit *au = NULL;
    struct vg_buf det;
    vg_buf_init(&det, 0);
    vg_buf_adds(&det, "{\"categories\":");
    vg_buf_json_str(&det, cats, strlen(cats));
    vg_buf_adds(&det, ",\"date\":");
    vg_buf_json_str(&det, date, strlen(date));
    vg_buf_adds(&det, ",\"reason\":\"police-activity categories included in a patrol briefing\"}");
    struct vg_audit_rec r = {0, 0, by, "supervisor", "briefing.include_police_activity", cats,
                             NULL, det.p};
    enum vg_err e = det.p ? vg_audit_open_for_store(db, NULL, &au, d) : VG_NOMEM;
    if (e == VG_OK)
        e = vg_audit_append(au, &r, seq, d);
    enum vg_err e2 = vg_audit_close(au, e ? NULL : d);
    vg_buf_free(&det);
    return e ? e : e2;
}

enum vg_err vg_cmd_briefing(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "model", "param", "date", "shift", "category",
                                        "units", "top", "lang", "include-police-activity",
                                        "by", NULL};
    static const char *const flags[] = {"include-police-activity", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    struct vg_briefing b;
    struct vg_buf out;
    char police[256];
    int64_t seq = 0;
    memset(&b, 0, sizeof b);
    vg_buf_init(&out, 0);
    enum vg_err e = vg_args_parse(&a, argc, argv, flags, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    if (e)
        return e;
    const char *kv[VG_ARGS_MAX], *db = vg_args_need(&a, "db", d);
    const char *date = db ? vg_args_need(&a, "date", d) : NULL;
    const char *cat = date ? vg_args_need(&a, "category", d) : NULL;
    int include = vg_args_has(&a, "include-police-activity");
    const char *by = vg_args_get(&a, "by", NULL);
    long top = 20;
    if (cat == NULL || (e = vg_args_long(&a, "top", 20, &top, d)))
        return cat ? e : VG_USAGE;
    if (include && (by == NULL || !*by))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--include-police-activity is a supervisor's "
                       "override: say who with --by NAME (it is logged in the audit trail)");
    struct vg_briefing_req q = {vg_args_get(&a, "model", "kde"), kv,
                                vg_args_all(&a, "param", kv, VG_ARGS_MAX), date,
                                vg_args_get(&a, "shift", "night"), cat,
                                vg_args_get(&a, "units", "grid:150"), top > 0 ? (size_t)top : 20, 2};
    if ((e = vg_ctx_open(&ctx, db, 0, d)))
        return e;
    e = police_cats(&ctx, cat, police, sizeof police, d);
    if (e == VG_OK)
        e = vg_briefing_run_override(&ctx, &q, include, &b, d);
    if (e == VG_OK && include && police[0]) /* logged before anything is shown */
        e = log_override(db, by, police, date, &seq, d);
    if (e == VG_OK)
        e = vg_forecast_table(&b.fc, vg_args_get(&a, "lang", "fr"), &out);
    if (e == VG_OK) {
        if (b.excluded[0])
            printf("left out of this briefing (police activity): %s\n", b.excluded);
        if (include && police[0])
            printf("included by supervisor override: %s (by %s, audit record %lld)\n", police,
                   by, (long long)seq);
        fwrite(out.p, 1, out.len, stdout);
    }
    vg_buf_free(&out);
    vg_briefing_free(&b);
    vg_ctx_close(&ctx);
    return e;
}

/*
 * cmd_fairness.c — `vigie audit feedback` (the patrol feedback-loop
 * simulator, audit/feedback.h) and `vigie audit fairness` (per-area shares
 * of flagged places, audit/fairness.h).  Thin layers: parse, load from the
 * store, run, write.  Memory: everything loaded is freed before returning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* fairness.h: below */
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
};

static enum vg_err fb_parse(int argc, char **argv, struct fb_opts *o, struct vg_diag *d)
{
    static const char *const known[] = {"db", "category", "from", "to", "patrols",
                                        "correction", "format", "out", "model", "param",
                                        "units", "report-rate", "discovery-rate",
                                        "dosage-days", "history-days", "seed", NULL};
    struct vg_args a;
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
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
    struct vg_fb_result res[2];
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
    for (int r = 0; r < 2 && e == VG_OK; r++) {
        c.corr = r ? VG_FB_ENSIGN : VG_FB_NONE;
        if (strcmp(o.corr, "both") && strcmp(o.corr, vg_fb_corr_name(c.corr)))
            continue;
        e = vg_fb_simulate(&c, &s.all, &res[nruns], d);
        fo.run[nruns] = &res[nruns];
        fo.name[nruns++] = vg_fb_corr_name(c.corr);
    }
    fo.nruns = nruns;
    if (e == VG_OK)
        e = fb_write(&o, &fo, d);
    vg_fb_result_free(&res[0]);
    vg_fb_result_free(&res[1]);
    vg_free(days);
    study_close(&s);
    return e;
}

enum vg_err vg_cmd_audit_fairness(int argc, char **argv, struct vg_diag *d)
{
    (void)argc, (void)argv;
    return vg_fail(d, VG_USAGE, "", 0, 0, "not yet");
}

enum vg_err vg_cmd_briefing(int argc, char **argv, struct vg_diag *d)
{
    (void)argc, (void)argv;
    return vg_fail(d, VG_USAGE, "", 0, 0, "not yet");
}

/*
 * cmd_forecast.c — `vigie forecast` and `vigie models list`.
 * The model sees only an owned copy of the events strictly before the
 * window start, so nothing later can leak into a forecast; the run itself
 * is report/briefing.c, shared with `vigie serve`.
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
#include "report/briefing.h"
#include "report/forecast_out.h"
#include "cli/acct.h"
#include "cli/replay.h"

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

enum vg_err vg_cmd_forecast(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "model", "param", "date", "shift", "category",
                                        "units", "top", "format", "lang", "threads",
                                        "replay", "user", "role", "purpose", "feedback",
                                        "dosage-days", "patrol-places", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    struct vg_briefing b;
    struct vg_buf out;
    int ctx_open = 0;
    memset(&b, 0, sizeof b);
    vg_buf_init(&out, 0);
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    if (e)
        return e;
    const char *db = vg_args_need(&a, "db", d);
    if (db && vg_args_has(&a, "replay")) {
        long seq = 0;
        e = vg_args_long(&a, "replay", 0, &seq, d);
        if (e == VG_OK && seq <= 0)
            e = vg_fail(d, VG_USAGE, "", 0, 0, "--replay takes an audit record number (seq)");
        return e ? e : vg_replay_run(db, seq, &a, d);
    }
    const char *date = db ? vg_args_need(&a, "date", d) : NULL;
    const char *cat = date ? vg_args_need(&a, "category", d) : NULL;
    if (cat == NULL)
        return VG_USAGE;
    const char *fmt = vg_args_get(&a, "format", "table");
    if (strcmp(fmt, "json") && strcmp(fmt, "geojson") && strcmp(fmt, "csv") && strcmp(fmt, "table"))
        return vg_fail(d, VG_USAGE, "", 0, 0, "--format \"%s\" must be table, json, geojson or csv", fmt);
    const char *kv[VG_ARGS_MAX];
    long top = 0, threads = 2;
    struct vg_briefing_req q = {vg_args_get(&a, "model", NULL), kv,
                                vg_args_all(&a, "param", kv, VG_ARGS_MAX), date,
                                vg_args_get(&a, "shift", "night"), cat,
                                vg_args_get(&a, "units", "grid:150"), 0, 2};
    e = vg_args_long(&a, "top", 0, &top, d);
    if (e == VG_OK)
        e = vg_args_long(&a, "threads", 2, &threads, d);
    if (e)
        return e;
    q.top = top > 0 ? (size_t)top : (!strcmp(fmt, "table") ? 20 : 0);
    q.threads = threads > 0 ? (int)threads : 1;
    if (q.model && vg_model_find(q.model) == NULL) /* before opening the store */
        return vg_fail(d, VG_USAGE, "", 0, 0, "unknown model \"%s\" (see `vigie models list`)", q.model);
    e = vg_ctx_open(&ctx, db, 0, d);
    if (e)
        return e;
    ctx_open = 1;
    /* --feedback ensign: discovered events down-weighted by the patrol
     * dosage of the recorded briefings (report/briefing_fb.c) */
    struct vg_briefing_limits lim;
    memset(&lim, 0, sizeof lim);
    const char *fb = vg_args_get(&a, "feedback", "none");
    long dd = 28, pp = 10;
    if (strcmp(fb, "none") && strcmp(fb, "ensign"))
        e = vg_fail(d, VG_USAGE, "", 0, 0, "--feedback \"%s\": expected none or ensign", fb);
    if (e == VG_OK)
        e = vg_args_long(&a, "dosage-days", 28, &dd, d);
    if (e == VG_OK)
        e = vg_args_long(&a, "patrol-places", 10, &pp, d);
    if (e == VG_OK && (dd < 1 || dd > 365 || pp < 1 || pp > 20))
        e = vg_fail(d, VG_USAGE, "", 0, 0, "--dosage-days 1..365 and --patrol-places 1..20");
    lim.feedback = !strcmp(fb, "ensign"), lim.dosage_days = (int32_t)dd;
    lim.patrol_places = (size_t)pp;
    if (e == VG_OK)
        e = vg_briefing_run_full(&ctx, &q, lim.feedback ? &lim : NULL, 0, &b, d);
    if (e == VG_OK && b.fb_on)
        fprintf(stderr, "feedback correction (Ensign et al.): %zu of %zu discovered events left "
                "out; patrol dosage from %zu recorded briefings over %d nights, first %zu places\n",
                b.fb_dropped, b.fb_discovered, b.fb_nights, (int)b.fb_days, b.fb_places);
    int64_t seq = 0;
    struct vg_replay_who who = {vg_acct_user(&a), vg_args_get(&a, "role", "operator"),
                                vg_args_get(&a, "purpose", NULL)};
    if (e == VG_OK && (e = vg_replay_record(&ctx, NULL, db, &who, &q, &b, &seq, d)) == VG_OK)
        fprintf(stderr, "audit record %lld (replay: vigie forecast --db %s --replay %lld)\n",
                (long long)seq, db, (long long)seq);
    if (e)
        goto out;
    if (!strcmp(fmt, "json"))
        e = vg_forecast_json(&b.fc, &out);
    else if (!strcmp(fmt, "geojson"))
        e = vg_forecast_geojson(&b.fc, &out);
    else if (!strcmp(fmt, "csv"))
        e = vg_forecast_csv(&b.fc, &out);
    else
        e = vg_forecast_table(&b.fc, vg_args_get(&a, "lang", "fr"), &out);
    if (e == VG_OK)
        fwrite(out.p, 1, out.len, stdout);
out:
    vg_buf_free(&out);
    vg_briefing_free(&b);
    if (ctx_open)
        vg_ctx_close(&ctx);
    return e;
}

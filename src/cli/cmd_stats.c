/*
 * cmd_stats.c — `vigie stats`: neighbourhood statistics from the store.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "report/stats.h"

struct area_collect {
    struct vg_stats_area *a;
    char **strs;
    size_t n;
};

static enum vg_err collect_area(void *arg, size_t idx, const struct vg_area_row *r)
{
    struct area_collect *c = arg;
    if (idx != c->n)
        return VG_INTERNAL;
    struct vg_stats_area *na = vg_reallocarray(c->a, c->n + 1, sizeof *na);
    char **ns = vg_reallocarray(c->strs, 2 * (c->n + 1), sizeof *ns);
    if (na)
        c->a = na;
    if (ns)
        c->strs = ns;
    if (!na || !ns)
        return VG_NOMEM;
    c->strs[2 * c->n] = vg_strdup(r->id ? r->id : "");
    c->strs[2 * c->n + 1] = vg_strdup(r->name ? r->name : "");
    c->a[c->n] = (struct vg_stats_area){c->strs[2 * c->n], c->strs[2 * c->n + 1], r->km2, r->population};
    c->n++;
    return c->strs[2 * c->n - 2] && c->strs[2 * c->n - 1] ? VG_OK : VG_NOMEM;
}

static void area_collect_free(struct area_collect *c)
{
    for (size_t i = 0; i < 2 * c->n; i++)
        vg_free(c->strs[i]);
    vg_free(c->strs);
    vg_free(c->a);
}

/* Latest local day with an event, for --month last. */
static int64_t last_day(const struct vg_events *ev, const struct vg_tz *tz)
{
    if (ev->n == 0)
        return 0;
    return vg_tz_local_day(tz, ev->t[ev->n - 1]);
}

static enum vg_err parse_period(const struct vg_args *a, const struct vg_events *ev,
                                const struct vg_tz *tz, int64_t *from, int64_t *to,
                                struct vg_diag *d)
{
    const char *month = vg_args_get(a, "month", NULL);
    int y, m, dd;
    if (month) {
        if (!strcmp(month, "last")) {
            vg_civil_from_days(last_day(ev, tz), &y, &m, &dd);
        } else {
            char *end;
            y = (int)strtol(month, &end, 10);
            if (*end != '-' || (m = (int)strtol(end + 1, &end, 10)) < 1 || m > 12 || *end)
                return vg_fail(d, VG_USAGE, "", 0, 0, "--month \"%s\" must be YYYY-MM or last", month);
        }
        *from = vg_days_from_civil(y, m, 1);
        *to = vg_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
        return VG_OK;
    }
    const char *f = vg_args_get(a, "from", NULL), *t = vg_args_get(a, "to", NULL);
    if (f) {
        if (vg_parse_date(f, &y, &m, &dd))
            return vg_fail(d, VG_USAGE, "", 0, 0, "--from \"%s\" must be YYYY-MM-DD", f);
        *from = vg_days_from_civil(y, m, dd);
    } else {
        struct vg_civil c;
        int32_t off;
        if (ev->n == 0)
            return vg_fail(d, VG_NOTFOUND, "", 0, 0, "no incidents match");
        vg_tz_to_local(tz, ev->t[0], &c, &off);
        *from = vg_days_from_civil(c.year, c.month, c.day);
    }
    if (t) {
        if (vg_parse_date(t, &y, &m, &dd))
            return vg_fail(d, VG_USAGE, "", 0, 0, "--to \"%s\" must be YYYY-MM-DD", t);
        *to = vg_days_from_civil(y, m, dd) + 1; /* --to is inclusive */
    } else {
        *to = last_day(ev, tz) + 1;
    }
    return VG_OK;
}

enum vg_err vg_cmd_stats(int argc, char **argv, struct vg_diag *d)
{
    static const char *const flags[] = {"excel-fr", NULL};
    static const char *const known[] = {"db", "by", "from", "to", "month", "category", "area",
                                        "source", "origin", "format", "excel-fr", "lang", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    struct vg_events ev;
    struct vg_stats st;
    struct vg_buf out;
    struct area_collect ac = {0};
    int32_t cats[64];
    size_t ncats = 0;
    int ctx_open = 0;
    vg_events_init(&ev);
    memset(&st, 0, sizeof st);
    vg_buf_init(&out, 0);
    enum vg_err e = vg_args_parse(&a, argc, argv, flags, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    if (e == VG_OK && db == NULL)
        e = VG_USAGE;
    if (e)
        goto out;
    e = vg_ctx_open(&ctx, db, 0, d);
    if (e)
        goto out;
    ctx_open = 1;

    struct vg_stats_query q;
    memset(&q, 0, sizeof q);
    q.tz = ctx.tz;
    q.tax = &ctx.tax;
    const char *by = vg_args_get(&a, "by", "area");
    char keys[128];
    snprintf(keys, sizeof keys, "%s", by);
    for (char *s = keys, *comma; s && *s; s = comma ? comma + 1 : NULL) {
        comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        if (q.nkeys == VG_STATS_MAX_KEYS) {
            e = vg_fail(d, VG_USAGE, "", 0, 0, "at most %d --by keys", VG_STATS_MAX_KEYS);
            goto out;
        }
        if (vg_stats_key_parse(s, &q.keys[q.nkeys++])) {
            e = vg_fail(d, VG_USAGE, "", 0, 0,
                        "--by key \"%s\" is unknown (area, category, year, month, week, date, hour, weekday, source, origin)", s);
            goto out;
        }
    }
    struct vg_event_filter f = {NULL, 0, 0, 0, -1, -1, -1};
    const char *cat = vg_args_get(&a, "category", NULL);
    if (cat) {
        e = vg_taxonomy_select(&ctx.tax, cat, cats, 64, &ncats, d);
        if (e)
            goto out;
        f.cats = cats;
        f.ncats = ncats;
    }
    const char *src = vg_args_get(&a, "source", NULL), *org = vg_args_get(&a, "origin", NULL);
    if (src) {
        enum vg_source s;
        if (vg_source_parse(src, &s)) {
            e = vg_fail(d, VG_USAGE, "", 0, 0, "--source \"%s\" is unknown", src);
            goto out;
        }
        f.source = (int)s;
    }
    if (org) {
        enum vg_origin o;
        if (vg_origin_parse(org, &o)) {
            e = vg_fail(d, VG_USAGE, "", 0, 0, "--origin \"%s\" is unknown (reported, discovered, camera, unknown)", org);
            goto out;
        }
        f.origin = (int)o;
    }
    if (ctx.layer[0]) {
        e = ctx.store->ops->areas_get(ctx.store, ctx.layer, collect_area, &ac, d);
        if (e)
            goto out;
        q.areas = ac.a;
        q.nareas = ac.n;
    }
    const char *area = vg_args_get(&a, "area", NULL);
    if (area) {
        f.area = -2;
        for (size_t i = 0; i < ac.n; i++)
            if (!strcmp(ac.a[i].id, area) || !strcmp(ac.a[i].name, area))
                f.area = (int32_t)i;
        if (f.area == -2) {
            e = vg_fail(d, VG_USAGE, "", 0, 0, "--area \"%s\" is not an id or name of layer \"%s\"", area, ctx.layer);
            goto out;
        }
    }
    e = vg_store_events(ctx.store, &f, &ev, d);
    if (e == VG_OK)
        e = parse_period(&a, &ev, ctx.tz, &q.from_day, &q.to_day, d);
    if (e == VG_OK)
        e = vg_stats_compute(&q, &ev, &st, d);
    if (e)
        goto out;
    const char *fmt = vg_args_get(&a, "format", "table");
    enum vg_stats_format sf = !strcmp(fmt, "csv") ? VG_STATS_CSV : !strcmp(fmt, "json") ? VG_STATS_JSON : VG_STATS_TABLE;
    if (sf == VG_STATS_TABLE && strcmp(fmt, "table")) {
        e = vg_fail(d, VG_USAGE, "", 0, 0, "--format \"%s\" must be table, csv or json", fmt);
        goto out;
    }
    e = vg_stats_render(&st, sf, vg_args_has(&a, "excel-fr"), vg_args_get(&a, "lang", "fr"), &out);
    if (e == VG_OK && out.len)
        fwrite(out.p, 1, out.len, stdout);
out:
    vg_stats_free(&st);
    vg_events_free(&ev);
    area_collect_free(&ac);
    vg_buf_free(&out);
    if (ctx_open)
        vg_ctx_close(&ctx);
    return e;
}

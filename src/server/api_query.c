/*
 * api_query.c — the analyst's reading routes: incidents (paged, scrubbed
 * text only) and statistics.  Both build a store filter from the query
 * string; dates are local days of the study zone, `to` inclusive.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "report/stats.h"
#include "server/routes.h"

#define INCIDENTS_MAX 500

struct filter {
    struct vg_event_filter f;
    int32_t cats[64];
    int64_t from_day, to_day; /* [from, to) local days; 0 = open */
};

static int bad(struct vg_req *r, const char *what, const char *v, const char *want)
{
    vg_req_error(r, VG_PARSE, 400, "%s=\"%.60s\" %s", what, v, want);
    return 0;
}

static int day_arg(struct vg_req *r, const char *name, int64_t *out)
{
    const char *v = vg_req_arg(r, name);
    int y, m, d;
    if (v == NULL || !*v)
        return 1;
    if (vg_parse_date(v, &y, &m, &d))
        return bad(r, name, v, "must be a date YYYY-MM-DD");
    *out = vg_days_from_civil(y, m, d);
    return 1;
}

static int64_t day_start(const struct vg_tz *tz, int64_t day)
{
    int y, m, d;
    int64_t t = 0;
    vg_civil_from_days(day, &y, &m, &d);
    vg_tz_from_local(tz, y, m, d, 0, 0, 0, VG_TZ_EARLIER, &t);
    return t;
}

/* Fill `f` from from/to/category/area/source; 0 after writing a 400. */
static int parse_filter(struct vg_req *r, struct filter *f)
{
    struct vg_server *s = r->srv;
    struct vg_diag d;
    memset(f, 0, sizeof *f);
    f->f = (struct vg_event_filter){NULL, 0, 0, 0, -1, -1, -1};
    if (!day_arg(r, "from", &f->from_day) || !day_arg(r, "to", &f->to_day))
        return 0;
    if (f->to_day)
        f->to_day++; /* inclusive */
    if (f->from_day && f->to_day && f->to_day <= f->from_day)
        return bad(r, "to", vg_req_arg(r, "to"), "must not be before from");
    f->f.from = f->from_day ? day_start(s->ctx.tz, f->from_day) : 0;
    f->f.to = f->to_day ? day_start(s->ctx.tz, f->to_day) : 0;
    const char *cat = vg_req_arg(r, "category");
    if (cat && *cat) {
        vg_diag_clear(&d);
        if (vg_taxonomy_select(&s->ctx.tax, cat, f->cats, 64, &f->f.ncats, &d))
            return bad(r, "category", cat, d.msg);
        f->f.cats = f->cats;
    }
    const char *area = vg_req_arg(r, "area");
    if (area && *area) {
        f->f.area = -2;
        for (size_t i = 0; i < s->nareas; i++)
            if (!strcmp(s->area_id[i], area) || !strcmp(s->area_name[i], area))
                f->f.area = (int32_t)i;
        if (f->f.area == -2)
            return bad(r, "area", area, "is not an area id or name of the default layer");
    }
    const char *src = vg_req_arg(r, "source");
    if (src && *src) {
        enum vg_source so;
        if (vg_source_parse(src, &so))
            return bad(r, "source", src, "is not a known source");
        f->f.source = (int)so;
    }
    return 1;
}

struct rows {
    struct vg_req *r;
    size_t n;
};

static enum vg_err on_incident(void *arg, int64_t id, const struct vg_incident *x)
{
    struct rows *rw = arg;
    struct vg_server *s = rw->r->srv;
    struct vg_buf *b = &rw->r->out;
    char t0[40], t1[40];
    vg_tz_format_iso(s->ctx.tz, x->t_start, t0, sizeof t0);
    vg_tz_format_iso(s->ctx.tz, x->t_end, t1, sizeof t1);
    const char *code = x->cat >= 0 && (size_t)x->cat < s->ctx.tax.n ? s->ctx.tax.cat[x->cat].code : "";
    enum vg_err e = vg_buf_printf(b, "%s\n{\"id\":%lld,\"start\":\"%s\",\"end\":\"%s\",\"time_known\":%s,"
                                  "\"category\":\"%s\",\"label\":", rw->n++ ? "," : "",
                                  (long long)id, t0, t1, x->time_known ? "true" : "false", code);
    e = e ? e : vg_buf_json_str(b, x->label ? x->label : "", x->label ? strlen(x->label) : 0);
    int known = x->area >= 0 && (size_t)x->area < s->nareas;
    e = e ? e : vg_buf_adds(b, ",\"area_id\":");
    e = e ? e : (known ? vg_buf_json_str(b, s->area_id[x->area], strlen(s->area_id[x->area])) : vg_buf_adds(b, "null"));
    e = e ? e : vg_buf_adds(b, ",\"area_name\":");
    e = e ? e : (known ? vg_buf_json_str(b, s->area_name[x->area], strlen(s->area_name[x->area])) : vg_buf_adds(b, "null"));
    e = e ? e : vg_buf_adds(b, ",\"lon\":");
    e = e ? e : vg_buf_json_num(b, x->lon);
    e = e ? e : vg_buf_adds(b, ",\"lat\":");
    e = e ? e : vg_buf_json_num(b, x->lat);
    e = e ? e : vg_buf_printf(b, ",\"source\":\"%s\",\"origin\":\"%s\",\"text\":",
                              vg_source_name(x->source), vg_origin_name(x->origin));
    /* `text` is stored scrubbed by the import (ingest/scrub.c) */
    e = e ? e : (x->text ? vg_buf_json_str(b, x->text, strlen(x->text)) : vg_buf_adds(b, "null"));
    return e ? e : vg_buf_addc(b, '}');
}

enum vg_err vg_api_incidents(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    struct filter f;
    const char *v;
    long limit = 50, offset = 0;
    char *end;
    if ((v = vg_req_arg(r, "limit")) && ((limit = strtol(v, &end, 10)) < 1 || limit > INCIDENTS_MAX || *end))
        return vg_req_error(r, VG_RANGE, 400, "limit must be 1..%d", INCIDENTS_MAX);
    if ((v = vg_req_arg(r, "offset")) && ((offset = strtol(v, &end, 10)) < 0 || offset > 100000000 || *end))
        return vg_req_error(r, VG_RANGE, 400, "offset must be 0..100000000");
    if (!parse_filter(r, &f))
        return VG_OK;
    struct rows rw = {r, 0};
    size_t total = 0;
    enum vg_err e = vg_buf_adds(&r->out, "{\"items\":[");
    pthread_mutex_lock(&s->engine);
    e = e ? e : s->ctx.store->ops->incidents_list(s->ctx.store, &f.f, (size_t)limit, (size_t)offset,
                                                  &total, on_incident, &rw, d);
    pthread_mutex_unlock(&s->engine);
    e = e ? e : vg_buf_printf(&r->out, "],\"total\":%zu,\"limit\":%ld,\"offset\":%ld}\n", total, limit, offset);
    snprintf(r->detail, sizeof r->detail, "rows=%zu total=%zu", rw.n, total);
    const char *keys[] = {"from", "to", "category", "area", "source"};
    for (size_t i = 0, o = 0; i < 5; i++)
        if ((v = vg_req_arg(r, keys[i])) && o < sizeof r->object)
            o += (size_t)snprintf(r->object + o, sizeof r->object - o, "%s%s=%.80s", o ? " " : "", keys[i], v);
    return e;
}

static enum vg_err stats_run(struct vg_req *r, struct vg_stats_query *q, const struct filter *f,
                             struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    struct vg_events ev;
    struct vg_stats st;
    vg_events_init(&ev);
    memset(&st, 0, sizeof st);
    /* the previous period and the year before feed the comparisons */
    struct vg_event_filter lf = f->f;
    int64_t back = q->to_day - q->from_day > 370 ? q->to_day - q->from_day + 1 : 400;
    lf.from = day_start(s->ctx.tz, q->from_day - back);
    lf.to = day_start(s->ctx.tz, q->to_day);
    pthread_mutex_lock(&s->engine);
    enum vg_err e = vg_store_events(s->ctx.store, &lf, &ev, d);
    pthread_mutex_unlock(&s->engine);
    if (e == VG_OK)
        e = vg_stats_compute(q, &ev, &st, d);
    if (e == VG_OK) {
        const char *lang = vg_req_arg(r, "lang");
        e = vg_stats_render(&st, VG_STATS_JSON, 0, lang && !strcmp(lang, "en") ? "en" : "fr", &r->out);
    }
    vg_stats_free(&st);
    vg_events_free(&ev);
    return e;
}

enum vg_err vg_api_stats(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    struct filter f;
    struct vg_stats_query q;
    struct vg_stats_area *areas = NULL;
    char keys[64];
    memset(&q, 0, sizeof q);
    if (!parse_filter(r, &f))
        return VG_OK;
    const char *by = vg_req_arg(r, "by") ? vg_req_arg(r, "by") : "area";
    snprintf(keys, sizeof keys, "%s", by);
    for (char *k = keys, *comma; k && *k; k = comma ? comma + 1 : NULL) {
        comma = strchr(k, ',');
        if (comma)
            *comma = '\0';
        if (q.nkeys == VG_STATS_MAX_KEYS || vg_stats_key_parse(k, &q.keys[q.nkeys++]))
            return vg_req_error(r, VG_PARSE, 400, "by=\"%.60s\": up to %d of area, category, year, month, "
                                "week, date, hour, weekday, source, origin", by, VG_STATS_MAX_KEYS);
    }
    /* default period: the last month with data */
    int y, m, dd;
    vg_civil_from_days(s->last_day, &y, &m, &dd);
    q.to_day = f.to_day ? f.to_day : s->last_day + 1;
    q.from_day = f.from_day ? f.from_day : vg_days_from_civil(y, m, 1);
    q.tz = s->ctx.tz;
    q.tax = &s->ctx.tax;
    areas = s->nareas ? vg_calloc(s->nareas, sizeof *areas) : NULL;
    if (s->nareas && areas == NULL)
        return VG_NOMEM;
    for (size_t i = 0; i < s->nareas; i++)
        areas[i] = (struct vg_stats_area){s->area_id[i], s->area_name[i], s->area_km2[i], s->area_pop[i]};
    q.areas = areas;
    q.nareas = s->nareas;
    char a[16], b[16];
    int y2, m2, d2;
    vg_civil_from_days(q.from_day, &y, &m, &dd);
    vg_civil_from_days(q.to_day - 1, &y2, &m2, &d2);
    snprintf(a, sizeof a, "%04d-%02d-%02d", y, m, dd);
    snprintf(b, sizeof b, "%04d-%02d-%02d", y2, m2, d2);
    snprintf(r->object, sizeof r->object, "by=%.60s from=%s to=%s category=%.80s", by, a, b,
             vg_req_arg(r, "category") ? vg_req_arg(r, "category") : "all");
    enum vg_err e = stats_run(r, &q, &f, d);
    vg_free(areas);
    return e;
}

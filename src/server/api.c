/*
 * api.c — the data routes of `vigie serve`: briefing, areas, categories,
 * forecast, incidents, statistics, models.  Everything that touches the
 * store or runs a model holds the server's engine mutex; briefing and
 * forecast bodies are cached for VG_CACHE_TTL seconds by their query.
 * Incident rows carry no personal data beyond the scrubbed text: no
 * address, no source identifier.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cli/replay.h"
#include "server/auth.h"
#include "server/server.h"
#include "model/model.h"
#include "report/briefing.h"
#include "report/stats.h"
#include "server/routes.h"

#define BRIEF_MAX_CATS 6
#define INCIDENTS_MAX 500

/* Query argument `name` as a long in [lo, hi], `def` when absent. */
static int arg_long(struct vg_req *r, const char *name, long def, long lo, long hi, long *out)
{
    const char *v = vg_req_arg(r, name);
    char *end;
    *out = def;
    if (v == NULL || !*v)
        return 1;
    long x = strtol(v, &end, 10);
    if (*end || x < lo || x > hi) {
        vg_req_error(r, VG_RANGE, 400, "%s=\"%.40s\" must be an integer in [%ld, %ld]", name, v, lo, hi);
        return 0;
    }
    *out = x;
    return 1;
}

/* Local day of YYYY-MM-DD argument `name`, or `def`; 0 after an error. */
static int arg_day(struct vg_req *r, const char *name, int64_t def, int64_t *out)
{
    const char *v = vg_req_arg(r, name);
    int y, m, d;
    *out = def;
    if (v == NULL || !*v)
        return 1;
    if (vg_parse_date(v, &y, &m, &d)) {
        vg_req_error(r, VG_PARSE, 400, "%s=\"%.40s\" must be a date YYYY-MM-DD", name, v);
        return 0;
    }
    *out = vg_days_from_civil(y, m, d);
    return 1;
}

static void day_str(int64_t day, char out[16])
{
    int y, m, d;
    vg_civil_from_days(day, &y, &m, &d);
    snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

/* The briefing's default night: the one after the latest data, or today. */
static int64_t default_day(const struct vg_server *s)
{
    struct vg_civil c;
    int32_t off;
    vg_tz_to_local(s->ctx.tz, vg_http_now(), &c, &off);
    int64_t today = vg_days_from_civil(c.year, c.month, c.day);
    return s->last_day && s->last_day + 1 < today ? s->last_day + 1 : today;
}

/* Units accepted from the web: "areas" or "grid:N" with 100 <= N <= 2000. */
static int units_ok(const char *u)
{
    if (!strcmp(u, "areas"))
        return 1;
    char *end;
    if (strncmp(u, "grid:", 5))
        return 0;
    long n = strtol(u + 5, &end, 10);
    return !*end && n >= 100 && n <= 2000;
}

/* Record a computed forecast (audit record + stored output, cli/replay.h)
 * through the server's trail, for the user who asked: `vigie forecast
 * --replay SEQ` re-computes it later.  0 when it could not be recorded
 * (reported on stderr; the reader still gets the forecast). */
struct record_arg {
    struct vg_req *r;
    const struct vg_briefing_req *q;
    const struct vg_briefing *b;
    int64_t seq;
    struct vg_diag d;
};

static enum vg_err record_with(struct vg_audit *trail, void *arg)
{
    struct record_arg *a = arg;
    struct vg_server *s = a->r->srv;
    struct vg_replay_who who = {a->r->who.user, vg_auth_role_name(a->r->who.role), a->r->purpose};
    return vg_replay_record(&s->ctx, trail, s->db, &who, a->q, a->b, &a->seq, &a->d);
}

static int64_t record_forecast(struct vg_req *r, const struct vg_briefing_req *q,
                               const struct vg_briefing *b)
{
    struct record_arg a = {r, q, b, 0, {0}};
    vg_diag_clear(&a.d);
    if (vg_server_audit_with(record_with, &a) != VG_OK) {
        fprintf(stderr, "vigie serve: forecast not recorded: %s\n", a.d.msg);
        return 0;
    }
    return a.seq;
}

static enum vg_err section(struct vg_req *r, struct vg_briefing_req *q, struct vg_buf *b,
                           struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    struct vg_briefing br;
    int32_t ci = vg_taxonomy_find(&s->ctx.tax, q->category, strlen(q->category));
    const struct vg_category *c = ci >= 0 ? &s->ctx.tax.cat[ci] : NULL;
    enum vg_err e = vg_buf_adds(b, "{\"category\":");
    e = e ? e : vg_buf_json_str(b, q->category, strlen(q->category));
    if (c) {
        e = e ? e : vg_buf_adds(b, ",\"label_fr\":");
        e = e ? e : vg_buf_json_str(b, c->label_fr, strlen(c->label_fr));
        e = e ? e : vg_buf_adds(b, ",\"label_en\":");
        e = e ? e : vg_buf_json_str(b, c->label_en, strlen(c->label_en));
    }
    if (e)
        return e;
    struct vg_diag rd;
    vg_diag_clear(&rd);
    enum vg_err re = vg_briefing_run(&s->ctx, q, &br, &rd);
    int64_t seq = re == VG_OK ? record_forecast(r, q, &br) : 0;
    if (re == VG_OK) {
        if (!br.published)
            br.fc.evidence = br.evidence;
        e = vg_buf_printf(b, ",\"published\":%s,\"baseline_shown\":%s,\"model\":",
                          br.published ? "true" : "false", br.baseline_shown ? "true" : "false");
        e = e ? e : vg_buf_json_str(b, br.model_spec, strlen(br.model_spec));
        e = e ? e : vg_buf_printf(b, ",\"audit_seq\":%lld", (long long)seq);
        e = e ? e : vg_buf_adds(b, ",\"evidence\":");
        e = e ? e : vg_buf_json_str(b, br.evidence, strlen(br.evidence));
        e = e ? e : vg_buf_adds(b, ",\"forecast\":");
        e = e ? e : vg_forecast_geojson(&br.fc, b);
    } else if (re == VG_NOTFOUND || re == VG_USAGE || re == VG_MODEL) {
        e = vg_buf_adds(b, ",\"published\":false,\"error\":");
        e = e ? e : vg_buf_json_str(b, rd.msg, strlen(rd.msg));
    } else {
        *d = rd;
        e = re;
    }
    vg_briefing_free(&br);
    return e ? e : vg_buf_addc(b, '}');
}

static enum vg_err briefing_body(struct vg_req *r, const char *date, const char *shift,
                                 const char *cats, const char *model, const char *units,
                                 size_t top, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    struct vg_briefing_req q = {model, NULL, 0, date, shift, NULL, units, top, 2};
    enum vg_err e = vg_buf_adds(&r->out, "{\"date\":");
    e = e ? e : vg_buf_json_str(&r->out, date, strlen(date));
    e = e ? e : vg_buf_adds(&r->out, ",\"shift\":");
    e = e ? e : vg_buf_json_str(&r->out, shift, strlen(shift));
    e = e ? e : vg_buf_printf(&r->out, ",\"tz\":\"%s\",\"sections\":[", vg_tz_name(s->ctx.tz));
    char list[256];
    snprintf(list, sizeof list, "%s", cats);
    size_t n = 0;
    for (char *c = list, *comma; e == VG_OK && c && *c && n < BRIEF_MAX_CATS; c = comma ? comma + 1 : NULL) {
        comma = strchr(c, ',');
        if (comma)
            *comma = '\0';
        q.category = c;
        e = vg_buf_adds(&r->out, n++ ? ",\n" : "\n");
        e = e ? e : section(r, &q, &r->out, d);
    }
    return e ? e : vg_buf_adds(&r->out, "]}\n");
}

enum vg_err vg_api_briefing(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    int64_t day;
    long top;
    char date[16], cats[256] = "", key[256];
    if (!arg_day(r, "date", default_day(s), &day) || !arg_long(r, "top", 10, 1, 50, &top))
        return VG_OK;
    day_str(day, date);
    const char *shift = vg_req_arg(r, "shift") ? vg_req_arg(r, "shift") : "night";
    /* no model: the published one (or the baseline), see report/briefing.h */
    const char *model = vg_req_arg(r, "model") && *vg_req_arg(r, "model") ? vg_req_arg(r, "model") : NULL;
    const char *mshow = model ? model : "published";
    const char *units = vg_req_arg(r, "units") ? vg_req_arg(r, "units") : "grid:150";
    const char *cat = vg_req_arg(r, "category");
    if (strlen(shift) > 16 || strlen(mshow) > 32 || !units_ok(units))
        return vg_req_error(r, VG_RANGE, 400, "shift, model or units out of range (units: areas or grid:100..2000)");
    if (cat && *cat)
        snprintf(cats, sizeof cats, "%.200s", cat);
    for (size_t i = 0; (!cat || !*cat) && i < s->ntop_cats; i++) {
        size_t l = strlen(cats);
        snprintf(cats + l, sizeof cats - l, "%s%s", l ? "," : "", s->ctx.tax.cat[s->top_cats[i]].code);
    }
    snprintf(key, sizeof key, "b|%s|%s|%s|%s|%s|%ld", date, shift, cats, mshow, units, top);
    snprintf(r->object, sizeof r->object, "date=%s shift=%s category=%s model=%s units=%s", date,
             shift, cats, mshow, units);
    if (vg_cache_get(s, key, &r->out))
        return VG_OK;
    pthread_mutex_lock(&s->engine);
    enum vg_err e = briefing_body(r, date, shift, cats, model, units, (size_t)top, d);
    pthread_mutex_unlock(&s->engine);
    if (e == VG_OK)
        vg_cache_put(s, key, &r->out);
    return e;
}

enum vg_err vg_api_areas(struct vg_req *r, struct vg_diag *d)
{
    (void)d;
    r->ctype = "application/geo+json";
    snprintf(r->detail, sizeof r->detail, "areas=%zu", r->srv->nareas);
    return vg_buf_add(&r->out, r->srv->areas_geojson.p, r->srv->areas_geojson.len);
}

enum vg_err vg_api_categories(struct vg_req *r, struct vg_diag *d)
{
    (void)d;
    const struct vg_taxonomy *t = &r->srv->ctx.tax;
    enum vg_err e = vg_buf_adds(&r->out, "{\"default\":[");
    for (size_t i = 0; e == VG_OK && i < r->srv->ntop_cats; i++)
        e = vg_buf_printf(&r->out, "%s\"%s\"", i ? "," : "", t->cat[r->srv->top_cats[i]].code);
    if (e == VG_OK && r->srv->last_day) {
        char a[16], b[16];
        day_str(r->srv->first_day, a);
        day_str(r->srv->last_day, b);
        e = vg_buf_printf(&r->out, "],\"first_day\":\"%s\",\"last_day\":\"%s\",\"first_month\":\"%.7s\","
                          "\"last_month\":\"%.7s\"", a, b, a, b);
    } else if (e == VG_OK) {
        e = vg_buf_adds(&r->out, "],\"first_day\":null,\"last_day\":null,\"first_month\":null,\"last_month\":null");
    }
    e = e ? e : vg_buf_adds(&r->out, ",\"categories\":[");
    for (size_t i = 0; e == VG_OK && i < t->n; i++) {
        const struct vg_category *c = &t->cat[i];
        e = vg_buf_printf(&r->out, "%s\n{\"code\":\"%s\",\"group\":\"%s\",\"events\":%zu,\"label_fr\":",
                          i ? "," : "", c->code, c->group, r->srv->cat_events[i]);
        e = e ? e : vg_buf_json_str(&r->out, c->label_fr, strlen(c->label_fr));
        e = e ? e : vg_buf_adds(&r->out, ",\"label_en\":");
        e = e ? e : vg_buf_json_str(&r->out, c->label_en, strlen(c->label_en));
        e = e ? e : vg_buf_addc(&r->out, '}');
    }
    return e ? e : vg_buf_adds(&r->out, "]}\n");
}

enum vg_err vg_api_forecast(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    int64_t day;
    long top;
    char date[16], key[256];
    const char *cat = vg_req_arg(r, "category");
    if (cat == NULL || !*cat || strlen(cat) > 200)
        return vg_req_error(r, VG_USAGE, 400, "category is required (see GET /api/v1/categories)");
    if (!arg_day(r, "date", default_day(s), &day) || !arg_long(r, "top", 0, 0, 100000, &top))
        return VG_OK;
    day_str(day, date);
    const char *shift = vg_req_arg(r, "shift") ? vg_req_arg(r, "shift") : "night";
    /* no model: the published one (or the baseline), see report/briefing.h */
    const char *model = vg_req_arg(r, "model") && *vg_req_arg(r, "model") ? vg_req_arg(r, "model") : NULL;
    const char *mshow = model ? model : "published";
    const char *units = vg_req_arg(r, "units") ? vg_req_arg(r, "units") : "areas";
    if (strlen(shift) > 16 || strlen(mshow) > 32 || !units_ok(units))
        return vg_req_error(r, VG_RANGE, 400, "shift, model or units out of range (units: areas or grid:100..2000)");
    snprintf(key, sizeof key, "f|%s|%s|%s|%s|%s|%ld", date, shift, cat, mshow, units, top);
    snprintf(r->object, sizeof r->object, "date=%s shift=%s category=%s model=%s units=%s", date,
             shift, cat, mshow, units);
    r->ctype = "application/geo+json";
    if (vg_cache_get(s, key, &r->out))
        return VG_OK;
    struct vg_briefing b;
    struct vg_briefing_req q = {model, NULL, 0, date, shift, cat, units, (size_t)top, 2};
    pthread_mutex_lock(&s->engine);
    enum vg_err e = vg_briefing_run(&s->ctx, &q, &b, d);
    if (e == VG_OK)
        record_forecast(r, &q, &b);
    if (e == VG_OK) {
        if (!b.published)
            b.fc.evidence = b.evidence;
        e = vg_forecast_geojson(&b.fc, &r->out);
    }
    vg_briefing_free(&b);
    pthread_mutex_unlock(&s->engine);
    if (e == VG_OK)
        vg_cache_put(s, key, &r->out);
    return e;
}

enum vg_err vg_api_models(struct vg_req *r, struct vg_diag *d)
{
    (void)d;
    enum vg_err e = vg_buf_adds(&r->out, "{\"models\":[");
    for (size_t i = 0; e == VG_OK && i < vg_model_count(); i++) {
        const struct vg_model_ops *m = vg_model_at(i);
        e = vg_buf_printf(&r->out, "%s\n{\"name\":\"%s\",\"summary\":", i ? "," : "", m->name);
        e = e ? e : vg_buf_json_str(&r->out, m->summary, strlen(m->summary));
        e = e ? e : vg_buf_adds(&r->out, ",\"citation\":");
        e = e ? e : vg_buf_json_str(&r->out, m->citation ? m->citation : "", m->citation ? strlen(m->citation) : 0);
        e = e ? e : vg_buf_adds(&r->out, ",\"params\":[");
        for (size_t k = 0; e == VG_OK && k < m->nparams; k++) {
            const struct vg_param_def *p = &m->params[k];
            e = vg_buf_printf(&r->out, "%s{\"name\":\"%s\",\"default\":", k ? "," : "", p->name);
            e = e ? e : vg_buf_json_num(&r->out, p->def);
            e = e ? e : vg_buf_adds(&r->out, ",\"min\":");
            e = e ? e : vg_buf_json_num(&r->out, p->min);
            e = e ? e : vg_buf_adds(&r->out, ",\"max\":");
            e = e ? e : vg_buf_json_num(&r->out, p->max);
            e = e ? e : vg_buf_adds(&r->out, ",\"help\":");
            e = e ? e : vg_buf_json_str(&r->out, p->help, strlen(p->help));
            e = e ? e : vg_buf_addc(&r->out, '}');
        }
        e = e ? e : vg_buf_adds(&r->out, "]}");
    }
    return e ? e : vg_buf_adds(&r->out, "]}\n");
}

/* Append ,"name":"value" (or null when `v` is empty). */
static enum vg_err json_field(struct vg_buf *b, const char *name, const char *v)
{
    enum vg_err e = vg_buf_printf(b, ",\"%s\":", name);
    return e ? e : v[0] ? vg_buf_json_str(b, v, strlen(v)) : vg_buf_adds(b, "null");
}

/* category and shift of the gate routes (shift defaults to night); 0 after
 * answering 400. */
static int gate_args(struct vg_req *r, const char **cat, const char **shift)
{
    const char *sh = vg_req_arg(r, "shift");
    *cat = vg_req_arg(r, "category");
    *shift = sh && *sh ? sh : "night";
    if (*cat == NULL || !**cat || strlen(*cat) > 200 || strlen(*shift) > 16) {
        vg_req_error(r, VG_USAGE, 400, "category is required (up to 200 characters, shift up to 16)");
        return 0;
    }
    snprintf(r->object, sizeof r->object, "category=%.200s shift=%s", *cat, *shift);
    return 1;
}

/* The HTML backtest report of the last `vigie models publish` run for a
 * category and shift (stored by cli/cmd_gate.c).  Self-contained: inline CSS
 * and SVG, no script; served under its own CSP in a sandbox. */
enum vg_err vg_api_models_report(struct vg_req *r, struct vg_diag *d)
{
    (void)d;
    struct vg_server *s = r->srv;
    char key[400];
    const size_t cap = 16u << 20;
    const char *cat, *shift;
    if (!gate_args(r, &cat, &shift))
        return VG_OK;
    char *html = vg_malloc(cap);
    if (html == NULL)
        return VG_NOMEM;
    vg_briefing_meta_key("gate-report", NULL, cat, shift, key, sizeof key);
    pthread_mutex_lock(&s->engine);
    enum vg_err e = vg_store_meta_get(s->ctx.store, key, html, cap);
    pthread_mutex_unlock(&s->engine);
    if (e != VG_OK || !html[0]) {
        vg_free(html);
        return vg_req_error(r, VG_NOTFOUND, 404, "no gate report for %s (%s shift): run `vigie models publish`",
                            cat, shift);
    }
    e = vg_buf_adds(&r->out, html);
    vg_free(html);
    r->ctype = "text/html; charset=utf-8";
    r->csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";
    return e;
}

/* The publication gate's decision for one category and shift, read from the
 * store's meta table (keys in report/briefing.h): the published spec and its
 * evidence line, the baseline briefings fall back on, the last refusal. */
enum vg_err vg_api_models_status(struct vg_req *r, struct vg_diag *d)
{
    (void)d;
    struct vg_server *s = r->srv;
    char key[400], spec[256] = "", evidence[640] = "", base[256] = "", why[640] = "";
    const char *cat, *shift;
    if (!gate_args(r, &cat, &shift))
        return VG_OK;
    pthread_mutex_lock(&s->engine);
    vg_briefing_meta_key("published", NULL, cat, shift, key, sizeof key);
    if (vg_store_meta_get(s->ctx.store, key, spec, sizeof spec) != VG_OK)
        spec[0] = '\0';
    if (spec[0]) {
        vg_briefing_meta_key("gate", spec, cat, shift, key, sizeof key);
        if (vg_store_meta_get(s->ctx.store, key, evidence, sizeof evidence) != VG_OK)
            evidence[0] = '\0';
    }
    vg_briefing_meta_key("baseline", NULL, cat, shift, key, sizeof key);
    if (vg_store_meta_get(s->ctx.store, key, base, sizeof base) != VG_OK)
        base[0] = '\0';
    vg_briefing_meta_key("gate-why", NULL, cat, shift, key, sizeof key);
    if (vg_store_meta_get(s->ctx.store, key, why, sizeof why) != VG_OK)
        why[0] = '\0';
    pthread_mutex_unlock(&s->engine);
    enum vg_err e = vg_buf_adds(&r->out, "{\"category\":");
    e = e ? e : vg_buf_json_str(&r->out, cat, strlen(cat));
    e = e ? e : json_field(&r->out, "shift", shift);
    e = e ? e : json_field(&r->out, "published", spec);
    e = e ? e : json_field(&r->out, "evidence", evidence);
    e = e ? e : json_field(&r->out, "baseline", base);
    e = e ? e : json_field(&r->out, "refusal", why);
    return e ? e : vg_buf_adds(&r->out, "}\n");
}

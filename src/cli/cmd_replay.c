/*
 * cmd_replay.c — forecast records and replays (see replay.h).
 * Invariant: a forecast record is appended before its output is stored,
 * inside one store transaction, so a stored forecast always names an audit
 * record.  Memory: JSON trees and buffers are freed before returning.
 */
#include "cli/replay.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/auditlog.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "cli/acct.h"

#ifndef VG_VERSION
#define VG_VERSION "0.1.0"
#endif
#define CODE_VERSION "vigie " VG_VERSION

static void result_digest(const double *x, size_t n, char hex[VG_AUDIT_HEX])
{
    struct vg_audit_sha s;
    vg_audit_sha_init(&s);
    vg_audit_sha_doubles(&s, x, n);
    vg_audit_sha_final(&s, hex);
}

static void weather_digest(const struct vg_weather *w, char hex[VG_AUDIT_HEX])
{
    struct vg_audit_sha s;
    double day0 = (double)w->day0;
    vg_audit_sha_init(&s);
    vg_audit_sha_doubles(&s, &day0, 1);
    const double *cols[5] = {w->tmax_c, w->tmin_c, w->prcp_mm, w->snow_mm, w->wind_ms};
    for (int c = 0; c < 5 && w->ndays; c++)
        vg_audit_sha_doubles(&s, cols[c], w->ndays);
    vg_audit_sha_final(&s, hex);
}

/* The places forecast for: count and centroids (they depend on the area
 * layer, which may be re-imported). */
static void units_digest(const struct vg_units *u, char hex[VG_AUDIT_HEX])
{
    struct vg_audit_sha s;
    double n = (double)u->n;
    vg_audit_sha_init(&s);
    vg_audit_sha_doubles(&s, &n, 1);
    vg_audit_sha_doubles(&s, u->cx, u->n);
    vg_audit_sha_doubles(&s, u->cy, u->n);
    vg_audit_sha_final(&s, hex);
}

static int64_t max_id(const struct vg_events *ev)
{
    int64_t m = 0;
    for (size_t i = 0; i < ev->n; i++)
        m = ev->id[i] > m ? ev->id[i] : m;
    return m;
}

/* {"name":value,...} of the model's parameters, exact (%.17g). */
static enum vg_err params_json(const struct vg_briefing *b, struct vg_buf *o)
{
    enum vg_err e = vg_buf_addc(o, '{');
    for (size_t k = 0; k < b->model->nparams && e == VG_OK; k++) {
        e = vg_buf_printf(o, "%s", k ? "," : "");
        if (e == VG_OK)
            e = vg_buf_json_str(o, b->model->params[k].name, strlen(b->model->params[k].name));
        if (e == VG_OK)
            e = isfinite(b->params[k]) ? vg_buf_printf(o, ":%.17g", b->params[k])
                                       : vg_buf_adds(o, ":null");
    }
    return e ? e : vg_buf_addc(o, '}');
}

static enum vg_err request_json(const struct vg_briefing_req *q, const struct vg_briefing *b,
                                struct vg_buf *o)
{
    char wd[VG_AUDIT_HEX];
    const char *s[4][2] = {{"date", q->date}, {"shift", q->shift ? q->shift : "night"},
                           {"category", q->category}, {"units", b->units_spec}};
    enum vg_err e = vg_buf_addc(o, '{');
    for (int i = 0; i < 4 && e == VG_OK; i++) {
        e = vg_buf_printf(o, "%s\"%s\":", i ? "," : "", s[i][0]);
        if (e == VG_OK)
            e = vg_buf_json_str(o, s[i][1], strlen(s[i][1]));
    }
    /* every parameter as used, exact: the replay does not depend on how the
     * model was chosen (explicit --param, defaults, or a published spec) */
    if (e == VG_OK)
        e = vg_buf_adds(o, ",\"kv\":[");
    for (size_t k = 0, n = 0; k < b->model->nparams && e == VG_OK; k++) {
        if (!isfinite(b->params[k]))
            continue;
        e = vg_buf_printf(o, "%s\"%s=%.17g\"", n++ ? "," : "", b->model->params[k].name,
                          b->params[k]);
    }
    char ud[VG_AUDIT_HEX];
    weather_digest(&b->weather, wd);
    units_digest(&b->units, ud);
    if (e == VG_OK)
        e = vg_buf_printf(o, "],\"units_n\":%zu,\"units_sha256\":\"%s\"", b->units.n, ud);
    if (e == VG_OK)
        e = vg_buf_printf(o, ",\"top\":%zu,\"threads\":%d,\"max_event_id\":%" PRId64
                          ",\"events\":%zu,\"weather\":{\"day0\":%" PRId64
                          ",\"ndays\":%zu,\"sha256\":\"%s\"}}",
                          q->top, q->threads, max_id(&b->all), b->past.n, b->weather.day0,
                          b->weather.ndays, wd);
    if (e == VG_OK && b->fb_on) { /* reopen the object: the correction's inputs */
        o->len--;
        e = vg_buf_printf(o, ",\"feedback\":{\"rule\":\"ensign\",\"dosage_days\":%d,"
                          "\"patrol_places\":%zu,\"max_forecast_id\":%" PRId64 "}}",
                          (int)b->fb_days, b->fb_places, b->fb_max_forecast_id);
    }
    return e;
}

/* The first ranked places, for exports and reports. */
static enum vg_err top_json(const struct vg_briefing *b, struct vg_buf *o)
{
    size_t n = b->units.n < 20 ? b->units.n : 20;
    enum vg_err e = vg_buf_addc(o, '[');
    for (size_t k = 0; k < n && e == VG_OK; k++) {
        size_t u = b->order[k];
        e = vg_buf_printf(o, "%s{\"rank\":%zu,\"unit\":", k ? "," : "", k + 1);
        if (e == VG_OK)
            e = vg_buf_json_str(o, b->units.label[u], strlen(b->units.label[u]));
        if (e == VG_OK)
            e = vg_buf_printf(o, ",\"lon\":%.6f,\"lat\":%.6f,\"expected\":%.17g}",
                              b->units.lon[u], b->units.lat[u], b->expected[u]);
    }
    return e ? e : vg_buf_addc(o, ']');
}

enum vg_err vg_replay_record(struct vg_ctx *ctx, struct vg_audit *shared, const char *db,
                             const struct vg_replay_who *who, const struct vg_briefing_req *q,
                             const struct vg_briefing *b, int64_t *seq, struct vg_diag *d)
{
    struct vg_buf pj, rj, tj, obj;
    struct vg_audit *log = shared;
    char res[VG_AUDIT_HEX];
    int64_t fid = 0;
    vg_buf_init(&pj, 0), vg_buf_init(&rj, 0), vg_buf_init(&tj, 0), vg_buf_init(&obj, 0);
    result_digest(b->expected, b->units.n, res);
    enum vg_err e = params_json(b, &pj);
    if (e == VG_OK)
        e = request_json(q, b, &rj);
    if (e == VG_OK)
        e = top_json(b, &tj);
    if (e == VG_OK)
        e = vg_buf_printf(&obj, "forecast:%s:%s", b->units_spec, b->categories);
    if (e == VG_OK && log == NULL)
        e = vg_audit_open_for_store(db, NULL, &log, d);
    if (e == VG_OK)
        e = vg_store_begin(ctx->store, d);
    if (e)
        goto out;
    struct vg_audit_forecast f = {who->user, who->role, who->purpose, obj.p, b->model->name,
                                  pj.p, CODE_VERSION, b->fc.data_digest, res,
                                  b->fc.window.start, b->fc.window.end, rj.p};
    e = vg_audit_forecast_record(log, &f, seq, d);
    struct vg_forecast_row r = {0, *seq, (int64_t)time(NULL), b->model->name, b->categories,
                                b->units_spec, res, tj.p, b->fc.window.start,
                                b->fc.window.end, b->expected, b->units.n};
    if (e == VG_OK)
        e = ctx->store->ops->forecast_put(ctx->store, &r, &fid, d);
    if (e == VG_OK)
        e = vg_store_commit(ctx->store, d);
    else
        vg_store_rollback(ctx->store);
out:
    if (log && log != shared) {
        enum vg_err ce = vg_audit_close(log, e == VG_OK ? d : NULL);
        e = e ? e : ce;
    }
    vg_buf_free(&pj), vg_buf_free(&rj), vg_buf_free(&tj), vg_buf_free(&obj);
    return e;
}

/* ---- replay ---- */

struct stored {
    double *x;
    size_t n;
    int found;
};

static enum vg_err keep_stored(void *arg, const struct vg_forecast_row *r)
{
    struct stored *s = arg;
    if (s->found || r->expected == NULL)
        return VG_OK;
    if ((s->x = vg_malloc((r->n + 1) * sizeof *s->x)) == NULL)
        return VG_NOMEM;
    memcpy(s->x, r->expected, r->n * sizeof *s->x);
    s->n = r->n;
    s->found = 1;
    return VG_OK;
}

/* Rebuild the request from the record. */
struct req_mem {
    json_t *root;
    const char *kv[VG_ARGS_MAX];
};

static enum vg_err parse_request(const struct vg_audit_forecast *f, int64_t seq,
                                 struct req_mem *m, struct vg_briefing_req *q,
                                 struct vg_briefing_limits *lim, struct vg_diag *d)
{
    json_error_t je;
    m->root = json_loads(f->request_json, 0, &je);
    json_t *r = m->root, *kv = json_object_get(r, "kv");
    const char *date = json_string_value(json_object_get(r, "date"));
    if (!json_is_object(r) || date == NULL || !json_is_array(kv) ||
        json_array_size(kv) > VG_ARGS_MAX)
        return vg_fail(d, VG_PARSE, "audit", (size_t)seq, 0,
                       "forecast record %lld has no request to replay (recorded by an older vigie?)",
                       (long long)seq);
    memset(q, 0, sizeof *q);
    q->model = f->model;
    for (size_t i = 0; i < json_array_size(kv); i++)
        m->kv[i] = json_string_value(json_array_get(kv, i));
    q->kv = m->kv;
    q->nkv = json_array_size(kv);
    q->date = date;
    q->shift = json_string_value(json_object_get(r, "shift"));
    q->category = json_string_value(json_object_get(r, "category"));
    q->units = json_string_value(json_object_get(r, "units"));
    q->top = (size_t)json_integer_value(json_object_get(r, "top"));
    q->threads = (int)json_integer_value(json_object_get(r, "threads"));
    q->threads = q->threads > 0 ? q->threads : 1;
    lim->max_event_id = json_integer_value(json_object_get(r, "max_event_id"));
    lim->weather_days = (size_t)json_integer_value(
        json_object_get(json_object_get(r, "weather"), "ndays"));
    json_t *fb = json_object_get(r, "feedback");
    if (json_is_object(fb)) {
        lim->feedback = 1;
        lim->dosage_days = (int32_t)json_integer_value(json_object_get(fb, "dosage_days"));
        lim->patrol_places = (size_t)json_integer_value(json_object_get(fb, "patrol_places"));
        lim->max_forecast_id = json_integer_value(json_object_get(fb, "max_forecast_id"));
    }
    return VG_OK;
}

/* Compare a replay with its record; VG_INTEGRITY names the first mismatch. */
static enum vg_err compare(struct vg_ctx *ctx, int64_t seq, const struct vg_audit_forecast *f,
                           const struct req_mem *m, const struct vg_briefing *b,
                           struct vg_diag *d)
{
    char res[VG_AUDIT_HEX], wd[VG_AUDIT_HEX];
    struct stored st = {NULL, 0, 0};
    enum vg_err e = VG_OK;
    const char *wrec = json_string_value(
        json_object_get(json_object_get(m->root, "weather"), "sha256"));
    result_digest(b->expected, b->units.n, res);
    weather_digest(&b->weather, wd);
    if (strcmp(f->code_version, CODE_VERSION) != 0)
        printf("note: recorded by \"%s\", replayed by \"%s\"\n", f->code_version, CODE_VERSION);
    printf("data    recorded %s\n        replayed %s  %s (%zu events)\n", f->data_sha256,
           b->fc.data_digest, strcmp(f->data_sha256, b->fc.data_digest) ? "DIFFERENT" : "same",
           b->past.n);
    printf("result  recorded %s\n        replayed %s  %s (%zu units)\n", f->result_sha256, res,
           strcmp(f->result_sha256, res) ? "DIFFERENT" : "same", b->units.n);
    if (b->fc.window.start != f->window_start || b->fc.window.end != f->window_end)
        return vg_fail(d, VG_INTEGRITY, "audit", (size_t)seq, 0,
                       "replayed window differs from the recorded one (time zone changed?)");
    if (strcmp(f->data_sha256, b->fc.data_digest) != 0)
        return vg_fail(d, VG_INTEGRITY, "audit", (size_t)seq, 0,
                       "input data differ from those recorded: %zu events now (record: %lld);"
                       " records were deleted or altered since the forecast",
                       b->past.n, (long long)json_integer_value(json_object_get(m->root, "events")));
    if (wrec && strcmp(wrec, wd) != 0)
        return vg_fail(d, VG_INTEGRITY, "audit", (size_t)seq, 0,
                       "weather data differ from those recorded (re-imported?)");
    const char *urec = json_string_value(json_object_get(m->root, "units_sha256"));
    char ud[VG_AUDIT_HEX];
    units_digest(&b->units, ud);
    if (urec && strcmp(urec, ud) != 0)
        return vg_fail(d, VG_INTEGRITY, "audit", (size_t)seq, 0,
                       "the places differ from those recorded (%lld units then, %zu now): the "
                       "area layer was re-imported or the grid changed",
                       (long long)json_integer_value(json_object_get(m->root, "units_n")),
                       b->units.n);
    if (strcmp(f->result_sha256, res) == 0)
        return VG_OK;
    e = ctx->store->ops->forecasts_get(ctx->store, seq, 0, 0, keep_stored, &st, NULL);
    if (e != VG_OK || !st.found) {
        e = vg_fail(d, VG_INTEGRITY, "audit", (size_t)seq, 0,
                    "result differs from the record (no stored copy to locate the cell)");
    } else {
        char sh[VG_AUDIT_HEX];
        size_t i = 0, n = st.n < b->units.n ? st.n : b->units.n;
        result_digest(st.x, st.n, sh);
        while (i < n && memcmp(&st.x[i], &b->expected[i], sizeof(double)) == 0)
            i++;
        if (strcmp(sh, f->result_sha256) != 0)
            printf("note: the stored copy does not match the record's digest either (altered)\n");
        if (i < n)
            e = vg_fail(d, VG_INTEGRITY, "audit", (size_t)seq, 0,
                        "result differs: first differing cell is unit %zu (%s): stored %.17g,"
                        " replayed %.17g", i, b->units.label[i], st.x[i], b->expected[i]);
        else
            e = vg_fail(d, VG_INTEGRITY, "audit", (size_t)seq, 0,
                        "result differs: %zu units stored, %zu replayed", st.n, b->units.n);
    }
    vg_free(st.x);
    return e;
}

enum vg_err vg_replay_run(const char *db, int64_t seq, const struct vg_args *a,
                          struct vg_diag *d)
{
    struct vg_audit *log = NULL;
    struct vg_audit_entry en;
    struct vg_audit_forecast f;
    struct req_mem m;
    struct vg_briefing_req q;
    struct vg_briefing_limits lim;
    struct vg_briefing b;
    struct vg_ctx ctx;
    int ctx_open = 0, have_entry = 0;
    memset(&en, 0, sizeof en);
    memset(&m, 0, sizeof m);
    memset(&b, 0, sizeof b);
    enum vg_err e = vg_audit_open_for_store(db, NULL, &log, d);
    if (e == VG_OK && (e = vg_audit_forecast_get(log, seq, &en, &f, d)) == VG_OK)
        have_entry = 1;
    if (e == VG_OK)
        e = parse_request(&f, seq, &m, &q, &lim, d);
    if (e == VG_OK && (e = vg_ctx_open(&ctx, db, 0, d)) == VG_OK)
        ctx_open = 1;
    if (e == VG_OK) {
        printf("replay of audit record %lld: %s %s, %s %s, %s\n", (long long)seq, f.model,
               f.params_json, q.category, q.date, q.units);
        e = vg_briefing_run_limited(&ctx, &q, &lim, &b, d);
    }
    if (e == VG_OK)
        e = compare(&ctx, seq, &f, &m, &b, d);
    if (have_entry && (e == VG_OK || e == VG_INTEGRITY)) {
        char det[128], obj[48];
        snprintf(det, sizeof det, "{\"match\":%s}", e == VG_OK ? "true" : "false");
        snprintf(obj, sizeof obj, "audit:%lld", (long long)seq);
        struct vg_audit_rec r = {0, 0, vg_acct_user(a), vg_args_get(a, "role", "operator"),
                                 "replay", obj, vg_args_get(a, "purpose", NULL), det};
        enum vg_err ae = vg_audit_append(log, &r, NULL, e == VG_OK ? d : NULL);
        e = e ? e : ae;
    }
    if (e == VG_OK)
        printf("MATCH: the forecast of audit record %lld is reproduced bit for bit\n",
               (long long)seq);
    else if (e == VG_INTEGRITY)
        printf("MISMATCH: %s\n", d->msg);
    vg_briefing_free(&b);
    if (ctx_open)
        vg_ctx_close(&ctx);
    json_decref(m.root);
    if (have_entry)
        vg_audit_entry_free(&en);
    if (log) {
        enum vg_err ce = vg_audit_close(log, e == VG_OK ? d : NULL);
        e = e ? e : ce;
    }
    return e;
}

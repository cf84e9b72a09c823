/*
 * cmd_export.c — `vigie export place`: everything stored about a place and
 * a time window, for an authorised requester (a judge, the CNIL, a person
 * exercising a right of access through the service): incidents (free text
 * scrubbed once more on the way out; health and social partners' text is
 * never exported) and stored forecasts whose ranked places fall in the
 * place.  The JSON file is hashed (SHA-256) and the export audited with the
 * requester, reason, counts and hash; if the audit record cannot be written
 * the file is removed.  Place: an area id of the default layer (--area) or
 * a lon/lat box (--bbox lon1,lat1,lon2,lat2).  Window: [--from, --to) on the
 * incident's start and the forecast's window.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/auditlog.h"
#include "base/buf.h"
#include "cli/acct.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/geoglue.h"
#include "geo/areas.h"
#include "geo/proj.h"
#include "ingest/scrub.h"

#define EXPORT_MAX_ROWS 200000

struct place {
    int32_t area;           /* index in the default layer, -1 = bbox */
    double bb[4];           /* lon1, lat1, lon2, lat2 */
    struct vg_areas *ar;    /* default layer (area mode) */
    struct vg_proj *ll2xy;  /* lon/lat → study CRS (area mode) */
};

static int in_place(const struct place *p, double lon, double lat, int32_t area)
{
    if (p->area < 0)
        return lon >= p->bb[0] && lon <= p->bb[2] && lat >= p->bb[1] && lat <= p->bb[3];
    if (area != INT32_MIN)
        return area == p->area;
    double x = lon, y = lat;
    return vg_proj_trans(p->ll2xy, &x, &y, 1) == VG_OK && vg_areas_locate(p->ar, x, y) == p->area;
}

struct exp {
    const struct place *pl;
    const struct vg_ctx *ctx;
    struct vg_buf *b;
    size_t n;
    struct vg_buf text;
};

static enum vg_scrub_source scrub_src(enum vg_source s)
{
    return s == VG_SRC_PARTNER_HEALTH   ? VG_SCRUB_SRC_PARTNER_HEALTH
           : s == VG_SRC_PARTNER_SOCIAL ? VG_SCRUB_SRC_PARTNER_SOCIAL
           : s == VG_SRC_PARTNER_LANDLORD ? VG_SCRUB_SRC_PARTNER_HOUSING
                                          : VG_SCRUB_SRC_POLICE;
}

static enum vg_err incident_one(void *arg, int64_t id, const struct vg_incident *r)
{
    struct exp *x = arg;
    char t1[32], t2[32];
    if (!in_place(x->pl, r->lon, r->lat, x->pl->area >= 0 ? r->area : INT32_MIN))
        return VG_OK;
    if (x->n >= EXPORT_MAX_ROWS)
        return VG_LIMIT;
    const char *code = r->cat >= 0 && (size_t)r->cat < x->ctx->tax.n ? x->ctx->tax.cat[r->cat].code : "?";
    enum vg_err e = vg_buf_printf(x->b, "%s\n  {\"id\":%lld,\"start\":\"%s\",\"end\":\"%s\","
                                  "\"category\":\"%s\",\"label\":", x->n ? "," : "", (long long)id,
                                  vg_acct_iso(r->t_start, t1), vg_acct_iso(r->t_end, t2), code);
    if (e == VG_OK)
        e = vg_buf_json_str(x->b, r->label ? r->label : "", r->label ? strlen(r->label) : 0);
    if (e == VG_OK)
        e = vg_buf_printf(x->b, ",\"lon\":%.6f,\"lat\":%.6f,\"source\":\"%s\",\"origin\":\"%s\","
                          "\"text\":", r->lon, r->lat, vg_source_name(r->source),
                          vg_origin_name(r->origin));
    vg_buf_reset(&x->text);
    if (e == VG_OK && r->text && *r->text) {
        struct vg_scrub_policy pol = {scrub_src(r->source), 0, NULL, 0};
        e = vg_scrub(&pol, r->text, strlen(r->text), &x->text, NULL);
    }
    if (e == VG_OK)
        e = x->text.len ? vg_buf_json_str(x->b, x->text.p, x->text.len) : vg_buf_adds(x->b, "null");
    if (e == VG_OK)
        e = vg_buf_addc(x->b, '}');
    x->n++;
    return e;
}

static enum vg_err forecast_one(void *arg, const struct vg_forecast_row *r)
{
    struct exp *x = arg;
    char t1[32], t2[32];
    json_error_t je;
    json_t *top = json_loads(r->top_json, 0, &je);
    size_t k = 0, kept = 0;
    json_t *it;
    enum vg_err e = VG_OK;
    json_array_foreach(top, k, it) {
        double lon = json_number_value(json_object_get(it, "lon"));
        double lat = json_number_value(json_object_get(it, "lat"));
        if (!in_place(x->pl, lon, lat, INT32_MIN))
            continue;
        char *s = json_dumps(it, JSON_COMPACT);
        if (kept == 0) {
            e = vg_buf_printf(x->b, "%s\n  {\"audit_seq\":%lld,\"model\":\"%s\",\"categories\":\"%s\","
                              "\"units\":\"%s\",\"window\":{\"start\":\"%s\",\"end\":\"%s\"},"
                              "\"result_sha256\":\"%s\",\"places\":[", x->n ? "," : "",
                              (long long)r->audit_seq, r->model, r->categories, r->units,
                              vg_acct_iso(r->window_start, t1), vg_acct_iso(r->window_end, t2),
                              r->result_sha256);
        }
        if (e == VG_OK)
            e = s ? vg_buf_printf(x->b, "%s%s", kept ? "," : "", s) : VG_NOMEM;
        free(s);
        kept++;
        if (e)
            break;
    }
    if (e == VG_OK && kept) {
        e = vg_buf_adds(x->b, "]}");
        x->n++;
    }
    json_decref(top);
    return e;
}

static enum vg_err parse_place(struct vg_ctx *ctx, const struct vg_args *a, struct place *p,
                               struct vg_diag *d)
{
    const char *area = vg_args_get(a, "area", NULL), *bbox = vg_args_get(a, "bbox", NULL);
    p->area = -1;
    if ((area == NULL) == (bbox == NULL))
        return vg_fail(d, VG_USAGE, "", 0, 0, "give exactly one of --area A or --bbox lon1,lat1,lon2,lat2");
    if (bbox) {
        int n = 0;
        if (sscanf(bbox, "%lf,%lf,%lf,%lf%n", &p->bb[0], &p->bb[1], &p->bb[2], &p->bb[3], &n) != 4 ||
            bbox[n] || !(p->bb[0] < p->bb[2] && p->bb[1] < p->bb[3]))
            return vg_fail(d, VG_USAGE, "", 0, 0,
                           "--bbox \"%s\": expected lon1,lat1,lon2,lat2 with lon1 < lon2, lat1 < lat2", bbox);
        return VG_OK;
    }
    if (!ctx->layer[0])
        return vg_fail(d, VG_USAGE, "", 0, 0, "--area needs an area layer (import one)");
    enum vg_err e = vg_geoglue_layer(ctx, ctx->layer, &p->ar, d);
    if (e == VG_OK)
        e = vg_areas_proj(p->ar, &p->ll2xy, d);
    for (size_t i = 0; e == VG_OK && i < p->ar->n && p->area < 0; i++)
        if (strcmp(p->ar->id[i], area) == 0)
            p->area = (int32_t)i;
    if (e == VG_OK && p->area < 0)
        e = vg_fail(d, VG_USAGE, "", 0, 0, "--area \"%s\": no such area id in layer %s", area, ctx->layer);
    return e;
}

static enum vg_err write_file(const char *out, const struct vg_buf *b, char hex[VG_AUDIT_HEX],
                              struct vg_diag *d)
{
    FILE *f = fopen(out, "wb");
    enum vg_err e = VG_OK;
    if (f == NULL || fwrite(b->p, 1, b->len, f) != b->len)
        e = vg_fail(d, VG_IO, out, 0, 0, "cannot write the export");
    if (f && fclose(f) != 0 && e == VG_OK)
        e = vg_fail(d, VG_IO, out, 0, 0, "cannot write the export");
    struct vg_audit_sha s;
    vg_audit_sha_init(&s);
    vg_audit_sha_update(&s, b->p, b->len);
    vg_audit_sha_final(&s, hex);
    return e;
}

static enum vg_err audit_export(const char *db, const struct vg_args *a, const char *obj,
                                const char *out, const char *hex, size_t ni, size_t nf,
                                int64_t from, int64_t to, struct vg_diag *d)
{
    struct vg_audit *log = NULL;
    struct vg_buf det;
    char t1[32], t2[32];
    int64_t seq = 0;
    vg_buf_init(&det, 8192);
    enum vg_err e = vg_buf_adds(&det, "{\"requester\":");
    if (e == VG_OK)
        e = vg_buf_json_str(&det, vg_args_get(a, "requester", ""), strlen(vg_args_get(a, "requester", "")));
    if (e == VG_OK)
        e = vg_buf_printf(&det, ",\"from\":\"%s\",\"to\":\"%s\",\"incidents\":%zu,\"forecasts\":%zu,"
                          "\"sha256\":\"%s\",\"file\":", vg_acct_iso(from, t1), vg_acct_iso(to, t2),
                          ni, nf, hex);
    if (e == VG_OK)
        e = vg_buf_json_str(&det, out, strlen(out));
    if (e == VG_OK)
        e = vg_buf_addc(&det, '}');
    if (e == VG_OK)
        e = vg_audit_open_for_store(db, NULL, &log, d);
    if (e == VG_OK) {
        struct vg_audit_rec r = {0, 0, vg_acct_user(a), vg_args_get(a, "role", "supervisor"),
                                 "export", obj, vg_args_get(a, "reason", ""), det.p};
        e = vg_audit_append(log, &r, &seq, d);
    }
    if (log) {
        enum vg_err ce = vg_audit_close(log, e == VG_OK ? d : NULL);
        e = e ? e : ce;
    }
    if (e == VG_OK)
        fprintf(stderr, "%s: %zu incidents, %zu forecasts; sha256 %s; audit record %lld\n", out, ni,
                nf, hex, (long long)seq);
    vg_buf_free(&det);
    return e;
}

/* The "export" member: place, window, requester, reason, creation time. */
static enum vg_err export_header(struct vg_buf *b, const struct vg_buf *obj, int64_t from,
                                 int64_t to, const char *req, const char *why)
{
    char t1[32], t2[32];
    enum vg_err e = vg_buf_adds(b, "{\"export\":{\"place\":");
    if (e == VG_OK)
        e = vg_buf_json_str(b, obj->p, obj->len);
    if (e == VG_OK)
        e = vg_buf_printf(b, ",\"from\":\"%s\",\"to\":\"%s\",\"requester\":", vg_acct_iso(from, t1),
                          vg_acct_iso(to, t2));
    if (e == VG_OK)
        e = vg_buf_json_str(b, req, strlen(req));
    if (e == VG_OK)
        e = vg_buf_adds(b, ",\"reason\":");
    if (e == VG_OK)
        e = vg_buf_json_str(b, why, strlen(why));
    if (e == VG_OK)
        e = vg_buf_printf(b, ",\"created\":\"%s\"},\n\"incidents\":[",
                          vg_acct_iso((int64_t)time(NULL), t1));
    return e;
}

/* Incidents, forecasts and counts; *ni = incidents, x->n = forecasts. */
static enum vg_err export_body(struct vg_ctx *ctx, struct exp *x, int64_t from, int64_t to,
                               size_t *ni, struct vg_diag *d)
{
    size_t total = 0;
    struct vg_event_filter f = {NULL, 0, from, to, -1, -1, x->pl->area >= 0 ? x->pl->area : -1};
    enum vg_err e = ctx->store->ops->incidents_list(ctx->store, &f, EXPORT_MAX_ROWS + 1, 0, &total,
                                                    incident_one, x, d);
    if (e == VG_OK && total > EXPORT_MAX_ROWS)
        e = VG_LIMIT; /* the listing was cut: refuse rather than export part */
    if (e == VG_LIMIT)
        e = vg_fail(d, VG_LIMIT, "", 0, 0, "more than %d incidents: narrow the place or window",
                    EXPORT_MAX_ROWS);
    *ni = x->n, x->n = 0;
    if (e == VG_OK)
        e = vg_buf_adds(x->b, "],\n\"forecasts\":[");
    if (e == VG_OK)
        e = ctx->store->ops->forecasts_get(ctx->store, 0, from, to, forecast_one, x, d);
    if (e == VG_OK)
        e = vg_buf_printf(x->b, "],\n\"counts\":{\"incidents\":%zu,\"forecasts\":%zu}}\n", *ni, x->n);
    return e;
}

enum vg_err vg_cmd_export_place(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "area", "bbox", "from", "to", "requester", "reason",
                                        "out", "user", "role", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    struct place pl;
    struct vg_buf b, obj;
    struct exp x;
    int64_t from = 0, to = 0;
    size_t ni = 0;
    int ctx_open = 0, written = 0;
    char hex[VG_AUDIT_HEX];
    memset(&pl, 0, sizeof pl);
    memset(&x, 0, sizeof x);
    vg_buf_init(&b, 0), vg_buf_init(&obj, 0), vg_buf_init(&x.text, 0);
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    const char *fs = db ? vg_args_need(&a, "from", d) : NULL;
    const char *ts = fs ? vg_args_need(&a, "to", d) : NULL;
    const char *req = ts ? vg_args_need(&a, "requester", d) : NULL;
    const char *why = req ? vg_args_need(&a, "reason", d) : NULL;
    const char *out = why ? vg_args_need(&a, "out", d) : NULL;
    if (e || out == NULL)
        return e ? e : VG_USAGE;
    if (!*req || !*why)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--requester and --reason must not be empty");
    if ((e = vg_ctx_open(&ctx, db, 0, d)))
        return e;
    ctx_open = 1;
    /* the window is in the town's calendar days (or explicit UTC times) */
    if ((e = vg_acct_when("from", fs, 0, ctx.tz, &from, d)) == VG_OK &&
        (e = vg_acct_when("to", ts, 1, ctx.tz, &to, d)) == VG_OK && to <= from)
        e = vg_fail(d, VG_USAGE, "", 0, 0, "--to is not after --from");
    if (e == VG_OK)
        e = parse_place(&ctx, &a, &pl, d);
    if (e == VG_OK)
        e = pl.area >= 0 ? vg_buf_printf(&obj, "place:area:%s", vg_args_get(&a, "area", ""))
                         : vg_buf_printf(&obj, "place:bbox:%s", vg_args_get(&a, "bbox", ""));
    if (e == VG_OK)
        e = export_header(&b, &obj, from, to, req, why);
    x.pl = &pl, x.ctx = &ctx, x.b = &b;
    if (e == VG_OK)
        e = export_body(&ctx, &x, from, to, &ni, d);
    if (e == VG_OK && (e = write_file(out, &b, hex, d)) == VG_OK)
        written = 1;
    if (e == VG_OK)
        e = audit_export(db, &a, obj.p, out, hex, ni, x.n, from, to, d);
    if (e != VG_OK && written)
        unlink(out); /* an export that is not in the trail must not exist */
    vg_areas_free(pl.ar);
    vg_proj_free(pl.ll2xy);
    vg_buf_free(&b), vg_buf_free(&obj), vg_buf_free(&x.text);
    if (ctx_open)
        vg_ctx_close(&ctx);
    return e;
}

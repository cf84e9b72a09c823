/*
 * audit_report.c — the ethics committee's HTML report (see audit_report.h).
 * One pass over the audit trail gathers counts and lists; the store gives
 * the retention picture and gate evidence; the HTML is assembled at the
 * end so the plain-language summary can come first.
 * Invariant: every string from the trail or the store goes through
 * vg_buf_html before it reaches the page; the page references nothing
 * outside itself.  Memory: struct gather owns its arrays and buffers
 * (gather_free); the caller owns `out`.
 */
#include "report/audit_report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/auditlog.h"
#include "audit/purge.h"
#include "base/alloc.h"
#include "base/tz.h"

#define MAX_PAIRS 256
#define MAX_FC 5000
#define MAX_REPLAY 10000
#define MAX_MODELS 64
#define MAX_BARS 120

struct pair { char user[64], action[32]; int64_t n; };
struct fc {
    int64_t seq, time;
    char user[64], object[96], model[32], ws[24], we[24], data[13], result[13];
};
struct replay { int64_t seq; int match; };

struct gather {
    const struct vg_areport_opts *o;
    struct pair pairs[MAX_PAIRS];
    size_t npairs;
    int64_t other;                   /* records beyond MAX_PAIRS pairs */
    int64_t *days;                   /* records per (local) day of the period */
    size_t ndays;
    struct fc *fc;
    size_t nfc;
    struct replay *rp;
    size_t nrp;
    char models[MAX_MODELS][160];    /* "model\tcategories" */
    size_t nmodels;
    struct vg_buf ex, pg, hd;        /* table rows: exports, purges, holds */
    struct vg_areport_stats *st;
    int64_t purged_total;
};

static void gather_free(struct gather *g)
{
    vg_free(g->days);
    vg_free(g->fc);
    vg_free(g->rp);
    vg_buf_free(&g->ex), vg_buf_free(&g->pg), vg_buf_free(&g->hd);
}

/* "YYYY-MM-DD HH:MM" of instant t, local in tz (UTC when NULL). */
static const char *iso(const struct vg_tz *tz, int64_t t, char out[32])
{
    struct vg_civil c;
    int32_t off = 0;
    if (tz) {
        vg_tz_to_local(tz, t, &c, &off);
    } else {
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        c.year = tm.tm_year + 1900, c.month = tm.tm_mon + 1, c.day = tm.tm_mday;
        c.hour = tm.tm_hour, c.min = tm.tm_min;
    }
    snprintf(out, 32, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour, c.min);
    return out;
}

/* Day index of instant t in the period: local calendar days since `from`'s. */
static int64_t day_of(const struct vg_areport_opts *o, int64_t t)
{
    if (o->tz == NULL)
        return (t - o->from) / 86400 - (t < o->from);
    return vg_tz_local_day(o->tz, t) - vg_tz_local_day(o->tz, o->from);
}

static void count_pair(struct gather *g, const struct vg_audit_rec *r)
{
    size_t i = 0;
    while (i < g->npairs && (strcmp(g->pairs[i].user, r->user) || strcmp(g->pairs[i].action, r->action)))
        i++;
    if (i == g->npairs) {
        if (g->npairs == MAX_PAIRS) {
            g->other++;
            return;
        }
        snprintf(g->pairs[i].user, sizeof g->pairs[i].user, "%s", r->user);
        snprintf(g->pairs[i].action, sizeof g->pairs[i].action, "%s", r->action);
        g->npairs++;
        size_t u = 0; /* distinct users */
        for (size_t k = 0; k < i; k++)
            u += strcmp(g->pairs[k].user, r->user) == 0;
        if (u == 0)
            g->st->users++;
    }
    g->pairs[i].n++;
}

static void add_forecast(struct gather *g, const struct vg_audit_rec *r, json_t *det)
{
    g->st->forecasts++;
    const char *model = json_string_value(json_object_get(det, "model"));
    json_t *rq = json_object_get(det, "request"), *w = json_object_get(det, "window");
    const char *cats = json_string_value(json_object_get(rq, "category"));
    const char *shift = json_string_value(json_object_get(rq, "shift"));
    char key[160];
    snprintf(key, sizeof key, "%s\t%s\t%s", model ? model : "?", cats ? cats : "?",
             shift ? shift : "night");
    size_t m = 0;
    while (m < g->nmodels && strcmp(g->models[m], key))
        m++;
    if (m == g->nmodels && m < MAX_MODELS)
        snprintf(g->models[g->nmodels++], sizeof g->models[0], "%s", key);
    if (g->nfc >= MAX_FC)
        return;
    struct fc *f = &g->fc[g->nfc++];
    memset(f, 0, sizeof *f);
    f->seq = r->seq, f->time = r->time;
    snprintf(f->user, sizeof f->user, "%s", r->user);
    snprintf(f->object, sizeof f->object, "%s", r->object);
    snprintf(f->model, sizeof f->model, "%s", model ? model : "?");
    const char *ws = json_string_value(json_object_get(w, "start"));
    const char *we = json_string_value(json_object_get(w, "end"));
    const char *ds = json_string_value(json_object_get(det, "data_sha256"));
    const char *rs = json_string_value(json_object_get(det, "result_sha256"));
    snprintf(f->ws, sizeof f->ws, "%.16s", ws ? ws : "?");
    snprintf(f->we, sizeof f->we, "%.16s", we ? we : "?");
    snprintf(f->data, sizeof f->data, "%.12s", ds ? ds : "?");
    snprintf(f->result, sizeof f->result, "%.12s", rs ? rs : "?");
}

/* One row "<tr><td>..</td>..</tr>" of escaped cells. */
static enum vg_err row(struct vg_buf *b, const char *const *cells, size_t n)
{
    enum vg_err e = vg_buf_adds(b, "<tr>");
    for (size_t i = 0; i < n && e == VG_OK; i++) {
        e = vg_buf_adds(b, "<td>");
        if (e == VG_OK)
            e = vg_buf_html(b, cells[i] ? cells[i] : "");
        if (e == VG_OK)
            e = vg_buf_adds(b, "</td>");
    }
    return e ? e : vg_buf_adds(b, "</tr>\n");
}

static int on_record(const struct vg_audit_rec *r, void *ctx)
{
    struct gather *g = ctx;
    char t[32], num[32];
    json_error_t je;
    json_t *det = json_loads(r->details, 0, &je);
    g->st->records++;
    count_pair(g, r);
    int64_t day = day_of(g->o, r->time);
    if (day >= 0 && (size_t)day < g->ndays)
        g->days[day]++;
    if (strcmp(r->action, "forecast") == 0) {
        add_forecast(g, r, det);
    } else if (strcmp(r->action, "replay") == 0 && g->nrp < MAX_REPLAY) {
        long long s = 0;
        if (sscanf(r->object, "audit:%lld", &s) == 1) {
            g->rp[g->nrp].seq = s;
            g->rp[g->nrp++].match = json_is_true(json_object_get(det, "match"));
        }
    } else if (strcmp(r->action, "export") == 0 || strcmp(r->action, "publish") == 0) {
        g->st->exports++;
        const char *req = json_string_value(json_object_get(det, "requester"));
        const char *sha = json_string_value(json_object_get(det, "sha256"));
        const char *c[] = {iso(g->o->tz, r->time, t), r->action, r->user, r->object, req ? req : "",
                           r->purpose, sha ? sha : ""};
        row(&g->ex, c, 7);
    } else if (strcmp(r->action, "purge") == 0) {
        g->st->purges++;
        json_t *cnt = json_object_get(det, "counts"), *v;
        const char *k;
        char line[400];
        size_t n = 0;
        line[0] = '\0';
        json_object_foreach(cnt, k, v) {
            json_int_t p = json_integer_value(json_object_get(v, "purged"));
            json_int_t h = json_integer_value(json_object_get(v, "held"));
            g->purged_total += p;
            if (p || h)
                n += (size_t)snprintf(line + n, n < sizeof line ? sizeof line - n : 0,
                                      "%s%s: %lld purged, %lld held", n ? "; " : "", k,
                                      (long long)p, (long long)h);
        }
        snprintf(num, sizeof num, "%lld", (long long)r->seq);
        const char *c[] = {iso(g->o->tz, r->time, t), num, line[0] ? line : "nothing past retention"};
        row(&g->pg, c, 3);
    } else if (strncmp(r->action, "hold-", 5) == 0 || strcmp(r->action, "retention-set") == 0) {
        const char *c[] = {iso(g->o->tz, r->time, t), r->action, r->user, r->object, r->details};
        row(&g->hd, c, 5);
    }
    json_decref(det);
    return 0;
}

/* Bar chart of records per bucket of days, inline SVG (no xmlns needed
 * inside HTML, so the page holds no URL at all). */
static enum vg_err chart(const struct gather *g, struct vg_buf *b)
{
    size_t k = (g->ndays + MAX_BARS - 1) / MAX_BARS, nb;
    k = k ? k : 1;
    nb = (g->ndays + k - 1) / k;
    int64_t v[MAX_BARS] = {0}, max = 1;
    for (size_t i = 0; i < g->ndays; i++)
        v[i / k] += g->days[i];
    for (size_t i = 0; i < nb; i++)
        max = v[i] > max ? v[i] : max;
    double bw = nb ? 600.0 / (double)nb : 600;
    char t1[32], t2[32];
    enum vg_err e = vg_buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 640 170\" role=\"img\" "
                                  "aria-label=\"audit records per %zu day(s)\">"
                                  "<line x1=\"30\" y1=\"140\" x2=\"630\" y2=\"140\" stroke=\"#444\"/>"
                                  "<text x=\"0\" y=\"14\" font-size=\"10\">%lld</text>", k,
                                  (long long)max);
    for (size_t i = 0; i < nb && e == VG_OK; i++) {
        double h = 120.0 * (double)v[i] / (double)max;
        e = vg_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b6ea5\">"
                          "<title>%lld</title></rect>", 30 + (double)i * bw, 140 - h,
                          bw > 2 ? bw - 1 : bw, h, (long long)v[i]);
    }
    if (e == VG_OK)
        e = vg_buf_printf(b, "<text x=\"30\" y=\"158\" font-size=\"10\">%.10s</text>"
                          "<text x=\"630\" y=\"158\" font-size=\"10\" text-anchor=\"end\">%.10s</text></svg>\n",
                          iso(g->o->tz, g->o->from, t1), iso(g->o->tz, g->o->to - 1, t2));
    return e;
}

/* ---- generic JSON → HTML (fairness section) ---- */

static enum vg_err json_scalar(json_t *v, struct vg_buf *b)
{
    char num[64];
    if (json_is_string(v))
        return vg_buf_html(b, json_string_value(v));
    if (json_is_integer(v))
        return vg_buf_printf(b, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) {
        snprintf(num, sizeof num, "%.4g", json_real_value(v));
        return vg_buf_adds(b, num);
    }
    if (json_is_boolean(v))
        return vg_buf_adds(b, json_is_true(v) ? "yes" : "no");
    if (json_is_null(v))
        return vg_buf_adds(b, "–");
    char *s = json_dumps(v, JSON_COMPACT);
    enum vg_err e = s ? vg_buf_html(b, s) : VG_NOMEM;
    free(s);
    return e;
}

static enum vg_err json_node(json_t *v, struct vg_buf *b, int depth);

static enum vg_err json_table(json_t *arr, struct vg_buf *b, int depth)
{
    json_t *first = json_array_get(arr, 0), *it, *x;
    const char *k;
    size_t i;
    if (!json_is_object(first)) {
        enum vg_err e = vg_buf_adds(b, "<ul>");
        json_array_foreach(arr, i, it) {
            if (e == VG_OK)
                e = vg_buf_adds(b, "<li>");
            if (e == VG_OK)
                e = json_node(it, b, depth + 1);
            if (e == VG_OK)
                e = vg_buf_adds(b, "</li>");
        }
        return e ? e : vg_buf_adds(b, "</ul>");
    }
    enum vg_err e = vg_buf_adds(b, "<table><tr>");
    json_object_foreach(first, k, x) {
        if (e == VG_OK && (e = vg_buf_adds(b, "<th>")) == VG_OK && (e = vg_buf_html(b, k)) == VG_OK)
            e = vg_buf_adds(b, "</th>");
    }
    if (e == VG_OK)
        e = vg_buf_adds(b, "</tr>\n");
    json_array_foreach(arr, i, it) {
        if (e == VG_OK)
            e = vg_buf_adds(b, "<tr>");
        json_object_foreach(first, k, x) {
            if (e == VG_OK)
                e = vg_buf_adds(b, "<td>");
            if (e == VG_OK)
                e = json_scalar(json_object_get(it, k), b);
            if (e == VG_OK)
                e = vg_buf_adds(b, "</td>");
        }
        if (e == VG_OK)
            e = vg_buf_adds(b, "</tr>\n");
    }
    return e ? e : vg_buf_adds(b, "</table>\n");
}

static enum vg_err json_node(json_t *v, struct vg_buf *b, int depth)
{
    const char *k;
    json_t *x;
    enum vg_err e = VG_OK;
    if (depth > 6)
        return vg_buf_adds(b, "…");
    if (json_is_array(v))
        return json_table(v, b, depth);
    if (!json_is_object(v))
        return json_scalar(v, b);
    e = vg_buf_adds(b, "<dl>");
    json_object_foreach(v, k, x) {
        if (e == VG_OK && (e = vg_buf_adds(b, "<dt>")) == VG_OK && (e = vg_buf_html(b, k)) == VG_OK)
            e = vg_buf_adds(b, "</dt><dd>");
        if (e == VG_OK)
            e = json_node(x, b, depth + 1);
        if (e == VG_OK)
            e = vg_buf_adds(b, "</dd>");
    }
    return e ? e : vg_buf_adds(b, "</dl>\n");
}

enum vg_err vg_areport_json_html(const char *json, size_t len, struct vg_buf *html)
{
    json_error_t je;
    json_t *root = json_loadb(json, len, 0, &je);
    if (root == NULL)
        return vg_buf_printf(html, "<p class=\"warn\">The fairness file is not valid JSON (line %d: ",
                             je.line) ||
                       vg_buf_html(html, je.text) || vg_buf_adds(html, ").</p>")
                   ? VG_NOMEM
                   : VG_OK;
    enum vg_err e = json_node(root, html, 0);
    json_decref(root);
    return e;
}

/* ---- sections ---- */

static enum vg_err sec_who(const struct gather *g, struct vg_buf *b)
{
    enum vg_err e = vg_buf_adds(b, "<h2>2. Who looked at what</h2>\n<p>Every action recorded "
                                "in the audit trail during the period, by person and kind of action "
                                "(signature records excluded).</p>\n<table><tr><th>user</th>"
                                "<th>action</th><th>records</th></tr>\n");
    for (size_t i = 0; i < g->npairs && e == VG_OK; i++) {
        char n[32];
        snprintf(n, sizeof n, "%lld", (long long)g->pairs[i].n);
        const char *c[] = {g->pairs[i].user, g->pairs[i].action, n};
        e = row(b, c, 3);
    }
    if (e == VG_OK && g->other)
        e = vg_buf_printf(b, "<tr><td colspan=\"2\">other</td><td>%lld</td></tr>\n",
                          (long long)g->other);
    if (e == VG_OK)
        e = vg_buf_adds(b, "</table>\n<h3>Activity over the period</h3>\n");
    return e ? e : chart(g, b);
}

static enum vg_err sec_forecasts(const struct gather *g, struct vg_buf *b)
{
    enum vg_err e = vg_buf_printf(b, "<h2>3. What the forecasts said</h2>\n<p>%lld forecast(s) were "
                                  "computed. Each record names the data it used (digest), the model "
                                  "and its parameters; any of them can be recomputed with "
                                  "<code>vigie forecast --replay N</code>.</p>\n",
                                  (long long)g->st->forecasts);
    if (e == VG_OK && g->nfc)
        e = vg_buf_adds(b, "<table><tr><th>record</th><th>time</th><th>user</th><th>what</th>"
                        "<th>model</th><th>window (UTC)</th><th>data</th><th>result</th>"
                        "<th>replayed</th></tr>\n");
    for (size_t i = 0; i < g->nfc && e == VG_OK; i++) {
        const struct fc *f = &g->fc[i];
        char seq[32], t[32], w[64];
        int ok = 0, bad = 0;
        for (size_t k = 0; k < g->nrp; k++)
            if (g->rp[k].seq == f->seq)
                g->rp[k].match ? ok++ : bad++;
        char rp[64];
        snprintf(rp, sizeof rp, "%s", bad ? "MISMATCH" : ok ? "matched" : "not replayed");
        snprintf(seq, sizeof seq, "%lld", (long long)f->seq);
        snprintf(w, sizeof w, "%s → %s", f->ws, f->we);
        const char *c[] = {seq, iso(g->o->tz, f->time, t), f->user, f->object, f->model, w, f->data,
                           f->result, rp};
        e = row(b, c, 9);
    }
    if (e == VG_OK && g->nfc)
        e = vg_buf_adds(b, "</table>\n");
    if (e == VG_OK && (size_t)g->st->forecasts > g->nfc)
        e = vg_buf_printf(b, "<p>(first %zu listed)</p>\n", g->nfc);
    return e;
}

static enum vg_err sec_models(struct vg_store *s, const struct gather *g, struct vg_buf *b)
{
    size_t found = 0;
    enum vg_err e = vg_buf_adds(b, "<h2>4. How the models performed</h2>\n<p>A model's forecasts "
                                "are only shown to patrols once a rolling backtest shows it beats "
                                "the naive baselines (the publication gate). The evidence stored for "
                                "each model and category forecast in this store:</p>\n<ul>\n");
    for (size_t m = 0; m < g->nmodels && e == VG_OK; m++) {
        char model[160], key[320], ev[640];
        snprintf(model, sizeof model, "%s", g->models[m]);
        char *tab = strchr(model, '\t'), *tab2 = tab ? strchr(tab + 1, '\t') : NULL;
        if (tab2 == NULL)
            continue;
        *tab = *tab2 = '\0';
        /* gate evidence: "gate:MODEL:CATEGORIES:SHIFT", or the older
         * "gate:MODEL:CATEGORIES" */
        snprintf(key, sizeof key, "gate:%s:%s:%s", model, tab + 1, tab2 + 1);
        int have = vg_store_meta_get(s, key, ev, sizeof ev) == VG_OK && ev[0];
        snprintf(key, sizeof key, "gate:%s:%s", model, tab + 1);
        have = have || (vg_store_meta_get(s, key, ev, sizeof ev) == VG_OK && ev[0]);
        found += (size_t)have;
        e = vg_buf_adds(b, "<li><b>");
        if (e == VG_OK)
            e = vg_buf_html(b, model);
        if (e == VG_OK)
            e = vg_buf_adds(b, "</b> on ");
        if (e == VG_OK)
            e = vg_buf_html(b, tab + 1);
        if (e == VG_OK)
            e = vg_buf_adds(b, ": ");
        if (e == VG_OK)
            e = vg_buf_html(b, have ? ev : "none recorded (never backtested: not publishable)");
        if (e == VG_OK)
            e = vg_buf_adds(b, "</li>\n");
    }
    if (e == VG_OK)
        e = vg_buf_adds(b, "</ul>\n");
    if (e == VG_OK && found == 0)
        e = vg_buf_adds(b, "<p class=\"warn\">No backtest or gate results are recorded for the "
                        "forecasts of this period.</p>\n");
    return e;
}

struct oldest { int64_t t; size_t n; };

static enum vg_err oldest_one(void *arg, int64_t id, int64_t t, int32_t area)
{
    struct oldest *o = arg;
    (void)id, (void)area;
    if (o->n++ == 0 || t < o->t)
        o->t = t;
    return VG_OK;
}

struct hold_rows {
    struct vg_buf *b;
    const struct vg_tz *tz;
};

static enum vg_err hold_row(void *arg, const struct vg_hold_row *h)
{
    const struct hold_rows *hr = arg;
    char t1[32], t2[32], t3[32], t4[32], span[80];
    snprintf(span, sizeof span, "%.10s → %.10s", iso(hr->tz, h->from, t1),
             h->to ? iso(hr->tz, h->to - 1, t2) : "open");
    const char *c[] = {h->procedure, h->type, span, h->area[0] ? h->area : "all", h->reason,
                       iso(hr->tz, h->placed, t3), h->lifted ? iso(hr->tz, h->lifted, t4) : "in force"};
    return row(hr->b, c, 7);
}

static int oldest_rec(const struct vg_audit_rec *r, void *arg)
{
    struct oldest *o = arg;
    if (o->n++ == 0 || r->time < o->t)
        o->t = r->time;
    return 0;
}

static enum vg_err sec_retention(struct vg_store *s, struct vg_audit *log, const struct gather *g,
                                 struct vg_buf *b, struct vg_diag *d)
{
    struct vg_ret_policy p;
    struct vg_purge_counts c;
    char t[32];
    enum vg_err e = vg_purge_policy(s, &p, d);
    if (e == VG_OK)
        e = vg_purge_run(s, log, g->o->now, 1, &c, d);
    if (e == VG_OK)
        e = vg_buf_printf(b, "<h2>5. Retention compliance</h2>\n<p>Situation on %s. A record "
                          "past its retention period must be deleted unless a legal hold keeps it.</p>\n"
                          "<table><tr><th>data</th><th>kept for</th><th>records</th><th>oldest</th>"
                          "<th>past retention</th><th>kept by a hold</th><th>overdue</th></tr>\n",
                          iso(g->o->tz, g->o->now, t));
    for (int ty = 0; ty < VG_RET_NTYPES && e == VG_OK; ty++) {
        struct oldest o = {0, 0};
        char days[32], n[32], old[32], ex[32], he[32], ov[32];
        struct vg_audit_query all = {NULL, NULL, NULL, 0, 0, 1};
        e = ty < VG_RET_AUDIT ? s->ops->retention_scan(s, ty, INT64_MAX, oldest_one, &o, d)
                              : vg_audit_scan(log, &all, oldest_rec, &o, d);
        if (e)
            break;
        snprintf(days, sizeof days, p.days[ty] < 0 ? "forever" : "%d days", (int)p.days[ty]);
        snprintf(n, sizeof n, "%zu", o.n);
        snprintf(old, sizeof old, "%.10s", o.n ? iso(g->o->tz, o.t, t) : "–");
        snprintf(ex, sizeof ex, "%zu", c.expired[ty]);
        snprintf(he, sizeof he, "%zu", c.held[ty]);
        snprintf(ov, sizeof ov, "%zu", c.expired[ty] - c.held[ty]);
        const char *cells[] = {vg_ret_type_name(ty), days, n, old, ex, he, ov};
        e = row(b, cells, 7);
    }
    if (e == VG_OK)
        e = vg_buf_adds(b, "</table>\n<h3>Legal holds</h3>\n<table><tr><th>procedure</th><th>type</th>"
                        "<th>records dated</th><th>area</th><th>reason</th><th>placed</th>"
                        "<th>lifted</th></tr>\n");
    if (e == VG_OK)
        e = s->ops->holds_get(s, hold_row, &(struct hold_rows){b, g->o->tz}, d);
    if (e == VG_OK)
        e = vg_buf_printf(b, "</table>\n<h3>Purges during the period</h3>\n%s",
                          g->pg.len ? "<table><tr><th>time</th><th>record</th><th>counts</th></tr>\n"
                                    : "<p>No purge was run during the period.</p>\n");
    if (e == VG_OK && g->pg.len)
        e = vg_buf_add(b, g->pg.p, g->pg.len);
    if (e == VG_OK && g->pg.len)
        e = vg_buf_adds(b, "</table>\n");
    if (e == VG_OK && g->hd.len) {
        e = vg_buf_adds(b, "<h3>Hold and policy changes during the period</h3>\n<table><tr><th>time"
                        "</th><th>action</th><th>user</th><th>procedure</th><th>details</th></tr>\n");
        if (e == VG_OK)
            e = vg_buf_add(b, g->hd.p, g->hd.len);
        if (e == VG_OK)
            e = vg_buf_adds(b, "</table>\n");
    }
    return e;
}

static enum vg_err sec_fairness(const struct vg_areport_opts *o, struct vg_buf *b, struct vg_diag *d)
{
    char path[600];
    struct vg_buf f;
    enum vg_err e = vg_buf_adds(b, "<h2>6. Fairness</h2>\n");
    if (e || o->fairness_fn)
        return e ? e : o->fairness_fn(o->fairness_ctx, b, d);
    snprintf(path, sizeof path, "%s", o->fairness_json ? o->fairness_json : "");
    if (!o->fairness_json)
        snprintf(path, sizeof path, "%s.fairness.json", o->db);
    if (access(path, R_OK) != 0)
        return vg_buf_adds(b, "<p class=\"warn\">No fairness audit was supplied. Run <code>vigie "
                           "audit fairness --format json &gt; DB.fairness.json</code> and rebuild "
                           "this report.</p>\n");
    vg_buf_init(&f, 16u << 20);
    e = vg_buf_read_file(&f, path, d);
    if (e == VG_OK)
        e = vg_buf_adds(b, "<p>From the fairness audit (share of flagged places against share of "
                        "reported incidents and population, hit rates by origin):</p>\n");
    if (e == VG_OK)
        e = vg_areport_json_html(f.p, f.len, b);
    vg_buf_free(&f);
    return e;
}

/* The trail's signed head as it stands: kept with the report, it later
 * proves (vigie audit verify --anchor) that nothing up to it was removed or
 * rewritten, even by someone able to rewrite every file of the store. */
static enum vg_err sec_anchor(struct vg_audit *log, struct vg_buf *b)
{
    char text[512];
    if (vg_audit_anchor(log, text, sizeof text, NULL) != VG_OK)
        return VG_OK; /* no signature yet: nothing to anchor */
    size_t n = strlen(text);
    while (n && text[n - 1] == '\n')
        text[--n] = '\0';
    enum vg_err e = vg_buf_adds(b, "<p class=\"note\">Signed head of the trail when this report was "
                                   "written (keep it: saved alone in a file F, <code>vigie audit verify "
                                   "--db STORE --anchor F</code> later proves that no record up to it "
                                   "was removed or rewritten):<br><code class=\"anchor\">");
    if (e == VG_OK)
        e = vg_buf_html(b, text);
    return e ? e : vg_buf_adds(b, "</code></p>\n");
}

static enum vg_err sec_summary(const struct gather *g, const struct vg_audit_report *vr,
                               struct vg_buf *b)
{
    char t1[32], t2[32];
    int64_t bad = 0, ok = 0;
    for (size_t k = 0; k < g->nrp; k++)
        g->rp[k].match ? ok++ : bad++;
    enum vg_err e = vg_buf_printf(
        b, "<section class=\"summary\"><h2>1. In short</h2>\n<p>From %.10s to %.10s, "
        "<b id=\"n-records\">%lld</b> actions were recorded by <b id=\"n-users\">%lld</b> "
        "user(s) or system processes.</p>\n",
        iso(g->o->tz, g->o->from, t1), iso(g->o->tz, g->o->to - 1, t2), (long long)g->st->records,
        (long long)g->st->users);
    if (e == VG_OK)
        e = g->st->intact
                ? vg_buf_printf(b, "<p>The audit trail is <b>intact</b>: its %lld records are "
                                "chained by SHA-256 and signed (Ed25519) through record %lld.</p>\n",
                                (long long)vr->records, (long long)vr->signed_seq)
                : vg_buf_printf(b, "<p class=\"warn\">The audit trail is <b>BROKEN</b> at record "
                                "%lld (%s). What follows may not be trustworthy.</p>\n",
                                (long long)vr->seq, vg_audit_fault_name(vr->fault));
    if (e == VG_OK && g->st->intact && vr->base_seq > 0)
        e = vg_buf_printf(b, "<p>Records 1 to %lld of the trail were removed under its retention "
                          "period on %.10s; a signed checkpoint proves that the rest follows "
                          "them unchanged.</p>\n", (long long)vr->base_seq,
                          iso(g->o->tz, vr->base_time, t1));
    if (e == VG_OK)
        e = vg_buf_printf(b, "<p><b id=\"n-forecasts\">%lld</b> forecast(s) were computed; %lld "
                          "replay(s) reproduced a forecast exactly and %lld did not.</p>\n"
                          "<p><b id=\"n-exports\">%lld</b> export(s) or publication(s) of data were "
                          "made; <b id=\"n-purges\">%lld</b> purge(s) deleted %lld record(s) past "
                          "their retention period.</p></section>\n",
                          (long long)g->st->forecasts, (long long)ok, (long long)bad,
                          (long long)g->st->exports, (long long)g->st->purges,
                          (long long)g->purged_total);
    return e;
}

static const char CSS[] =
    "<style>body{font:15px/1.45 sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
    "h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;margin-top:2em}"
    "table{border-collapse:collapse;margin:.5em 0;font-size:13px}"
    "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2}.summary{background:#f6f9fc;padding:.5em 1em;border:1px solid #d0dceb}"
    ".warn{color:#a40000}.chart{width:100%;max-width:640px;height:auto}code{background:#eee}</style>";

enum vg_err vg_areport_html(struct vg_store *s, const struct vg_areport_opts *o,
                            struct vg_buf *out, struct vg_areport_stats *st,
                            struct vg_diag *d)
{
    struct gather g;
    struct vg_audit *log = NULL;
    struct vg_audit_report vr;
    struct vg_audit_opts ao = {0};
    struct vg_buf body;
    char t1[32], t2[32];
    memset(&g, 0, sizeof g);
    memset(&vr, 0, sizeof vr);
    memset(st, 0, sizeof *st);
    g.o = o, g.st = st;
    vg_buf_init(&g.ex, 0), vg_buf_init(&g.pg, 0), vg_buf_init(&g.hd, 0), vg_buf_init(&body, 0);
    g.ndays = o->to > o->from ? (size_t)(day_of(o, o->to - 1) + 1) : 0;
    enum vg_err e = g.ndays > 0 && g.ndays <= 36600 ? VG_OK
                    : vg_fail(d, VG_USAGE, "", 0, 0, "the period must last 1 day to 100 years");
    if (e == VG_OK) {
        g.days = vg_calloc(g.ndays, sizeof *g.days);
        g.fc = vg_calloc(MAX_FC, sizeof *g.fc);
        g.rp = vg_calloc(MAX_REPLAY, sizeof *g.rp);
        e = g.days && g.fc && g.rp ? VG_OK : VG_NOMEM;
    }
    ao.read_only = 1;
    if (e == VG_OK) {
        enum vg_err ve = vg_audit_verify_for_store(o->db, 1, &vr, NULL);
        st->intact = ve == VG_OK;
        if (ve != VG_OK && ve != VG_INTEGRITY)
            e = vg_fail(d, ve, o->db, 0, 0, "cannot read the audit trail");
    }
    if (e == VG_OK)
        e = vg_audit_open_for_store(o->db, &ao, &log, d);
    struct vg_audit_query q = {NULL, NULL, NULL, o->from, o->to, 0};
    if (e == VG_OK)
        e = vg_audit_scan(log, &q, on_record, &g, d);
    if (e == VG_OK)
        e = sec_who(&g, &body);
    if (e == VG_OK)
        e = sec_forecasts(&g, &body);
    if (e == VG_OK)
        e = sec_models(s, &g, &body);
    if (e == VG_OK)
        e = sec_retention(s, log, &g, &body, d);
    if (e == VG_OK)
        e = sec_fairness(o, &body, d);
    if (e == VG_OK)
        e = vg_buf_printf(&body, "<h2>7. Exports and publications</h2>\n%s",
                          g.ex.len ? "<table><tr><th>time</th><th>action</th><th>user</th>"
                                     "<th>what</th><th>requester</th><th>reason</th><th>file SHA-256"
                                     "</th></tr>\n" : "<p>None during the period.</p>\n");
    if (e == VG_OK && g.ex.len && (e = vg_buf_add(&body, g.ex.p, g.ex.len)) == VG_OK)
        e = vg_buf_adds(&body, "</table>\n");
    if (e == VG_OK)
        e = vg_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<title>vigie — accountability report %.10s to %.10s</title>%s</head><body>\n"
                          "<h1>vigie — accountability report</h1>\n<p>Store <code>",
                          iso(o->tz, o->from, t1), iso(o->tz, o->to - 1, t2), CSS);
    if (e == VG_OK)
        e = vg_buf_html(out, o->db);
    if (e == VG_OK)
        e = vg_buf_printf(out, "</code>, period %.10s to %.10s (%s; all dates and times below are "
                          "local). This file is self-contained: it needs no network and loads "
                          "nothing.</p>\n", iso(o->tz, o->from, t1), iso(o->tz, o->to - 1, t2),
                          o->tz ? vg_tz_name(o->tz) : "UTC");
    if (e == VG_OK)
        e = sec_summary(&g, &vr, out);
    if (e == VG_OK && st->intact)
        e = sec_anchor(log, out);
    if (e == VG_OK)
        e = vg_buf_add(out, body.p, body.len);
    if (e == VG_OK)
        e = vg_buf_adds(out, "</body></html>\n");
    vg_audit_close(log, NULL);
    vg_buf_free(&body);
    gather_free(&g);
    return e;
}

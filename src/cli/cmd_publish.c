/*
 * cmd_publish.c — `vigie publish stats`: counts per area x month for open
 * publication, with small counts suppressed (report/publish_stats.c:
 * primary cells 0 < n < --min, complementary suppression so that row,
 * column and grand totals cannot reveal them).  Months are calendar months
 * in the study time zone; an incident belongs to the area of the layer
 * containing it (the stored assignment for the default layer, point in
 * polygon otherwise); incidents outside every area are left out and
 * counted on stderr.  The CSV writes suppressed cells as "x".
 * The publication is audited with the file's SHA-256.
 */
#include <stdio.h>
#include <string.h>

#include "audit/auditlog.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/tz.h"
#include "cli/acct.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/geoglue.h"
#include "geo/areas.h"
#include "report/publish_stats.h"

/* "YYYY-MM" → months since year 0 (y * 12 + m - 1). */
static enum vg_err parse_month(const char *opt, const char *s, int64_t *out,
                               struct vg_diag *d)
{
    int y = 0, m = 0, n = 0;
    if (s == NULL || sscanf(s, "%4d-%2d%n", &y, &m, &n) != 2 || (s[n] && s[n] != '-') ||
        m < 1 || m > 12 || y < 1900 || y > 2200)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--%s \"%s\": expected YYYY-MM", opt,
                       s ? s : "");
    *out = (int64_t)y * 12 + m - 1;
    return VG_OK;
}

struct table {
    size_t R, C;
    int64_t m0;
    int64_t *x;
    unsigned char *st;
    size_t outside, outside_time;
};

/* Count events into the table. */
static enum vg_err fill(struct vg_ctx *ctx, const char *layer, const struct vg_events *ev,
                        struct table *t, struct vg_diag *d)
{
    struct vg_areas *ar = NULL;
    enum vg_err e = VG_OK;
    int dflt = strcmp(layer, ctx->layer) == 0;
    if (!dflt && (e = vg_geoglue_layer(ctx, layer, &ar, d)))
        return e;
    for (size_t i = 0; i < ev->n; i++) {
        struct vg_civil c;
        int32_t off;
        vg_tz_to_local(ctx->tz, ev->t[i], &c, &off);
        int64_t col = (int64_t)c.year * 12 + c.month - 1 - t->m0;
        int32_t row = dflt ? ev->area[i] : vg_areas_locate(ar, ev->x[i], ev->y[i]);
        if (col < 0 || col >= (int64_t)t->C) {
            t->outside_time++;
            continue;
        }
        if (row < 0 || (size_t)row >= t->R) {
            t->outside++;
            continue;
        }
        t->x[(size_t)row * t->C + (size_t)col]++;
    }
    vg_areas_free(ar);
    return e;
}

struct names {
    struct vg_buf ids; /* "id\tname\n" per area */
    size_t n;
};

static enum vg_err name_one(void *arg, size_t idx, const struct vg_area_row *r)
{
    struct names *nm = arg;
    (void)idx;
    nm->n++;
    return vg_buf_printf(&nm->ids, "%s\t%s\n", r->id, r->name ? r->name : r->id);
}

/* One CSV field, quoted when needed. */
static enum vg_err csv_field(struct vg_buf *b, const char *s, size_t n)
{
    if (memchr(s, ',', n) == NULL && memchr(s, '"', n) == NULL)
        return vg_buf_add(b, s, n);
    enum vg_err e = vg_buf_addc(b, '"');
    for (size_t i = 0; i < n && e == VG_OK; i++)
        e = s[i] == '"' ? vg_buf_adds(b, "\"\"") : vg_buf_addc(b, s[i]);
    return e ? e : vg_buf_addc(b, '"');
}

static enum vg_err write_csv(const struct table *t, const struct names *nm, struct vg_buf *b)
{
    enum vg_err e = vg_buf_adds(b, "area_id,area_name");
    for (size_t j = 0; j < t->C && e == VG_OK; j++) {
        int64_t m = t->m0 + (int64_t)j;
        e = vg_buf_printf(b, ",%04d-%02d", (int)(m / 12), (int)(m % 12) + 1);
    }
    if (e == VG_OK)
        e = vg_buf_adds(b, ",total\n");
    const char *p = nm->ids.p;
    int64_t grand = 0;
    for (size_t i = 0; i < t->R && e == VG_OK; i++) {
        const char *tab = strchr(p, '\t'), *nl = strchr(tab, '\n');
        int64_t tot = 0;
        e = csv_field(b, p, (size_t)(tab - p));
        if (e == VG_OK)
            e = vg_buf_addc(b, ',');
        if (e == VG_OK)
            e = csv_field(b, tab + 1, (size_t)(nl - tab - 1));
        for (size_t j = 0; j < t->C && e == VG_OK; j++) {
            size_t k = i * t->C + j;
            tot += t->x[k];
            e = t->st[k] ? vg_buf_adds(b, ",x") : vg_buf_printf(b, ",%lld", (long long)t->x[k]);
        }
        if (e == VG_OK)
            e = vg_buf_printf(b, ",%lld\n", (long long)tot);
        grand += tot;
        p = nl + 1;
    }
    if (e == VG_OK)
        e = vg_buf_adds(b, "total,");
    for (size_t j = 0; j < t->C && e == VG_OK; j++) {
        int64_t tot = 0;
        for (size_t i = 0; i < t->R; i++)
            tot += t->x[i * t->C + j];
        e = vg_buf_printf(b, ",%lld", (long long)tot);
    }
    return e ? e : vg_buf_printf(b, ",%lld\n", (long long)grand);
}

static enum vg_err audit_publish(const char *db, const struct vg_args *a, const char *out,
                                 const char *hex, const struct vg_pubstats_summary *s,
                                 const struct table *t, struct vg_diag *d)
{
    struct vg_audit *log = NULL;
    struct vg_buf det;
    int64_t seq = 0;
    vg_buf_init(&det, 8192);
    enum vg_err e = vg_buf_adds(&det, "{\"file\":");
    if (e == VG_OK)
        e = vg_buf_json_str(&det, out, strlen(out));
    if (e == VG_OK)
        e = vg_buf_printf(&det, ",\"sha256\":\"%s\",\"rows\":%zu,\"months\":%zu,\"primary\":%zu,"
                          "\"complement\":%zu,\"weak\":%zu}", hex, t->R, t->C, s->primary,
                          s->complement, s->weak);
    if (e == VG_OK)
        e = vg_audit_open_for_store(db, NULL, &log, d);
    if (e == VG_OK) {
        struct vg_audit_rec r = {0, 0, vg_acct_user(a), "analyst", "publish",
                                 vg_args_get(a, "layer", "stats"), "open data publication",
                                 det.p};
        e = vg_audit_append(log, &r, &seq, d);
    }
    if (log) {
        enum vg_err ce = vg_audit_close(log, e == VG_OK ? d : NULL);
        e = e ? e : ce;
    }
    if (e == VG_OK)
        fprintf(stderr, "audit record %lld\n", (long long)seq);
    vg_buf_free(&det);
    return e;
}

/* Rows = areas of `layer`, columns = months m0..m1: count the events. */
static enum vg_err count_table(struct vg_ctx *ctx, const char *layer, const char *category,
                               int64_t m1, struct table *t, struct names *nm, struct vg_diag *d)
{
    struct vg_events ev;
    int32_t cats[64];
    size_t ncats = 0;
    enum vg_err e = VG_OK;
    vg_events_init(&ev);
    if (category)
        e = vg_taxonomy_select(&ctx->tax, category, cats, 64, &ncats, d);
    if (e == VG_OK && !*layer)
        e = vg_fail(d, VG_USAGE, "", 0, 0, "the store has no area layer: give --layer");
    if (e == VG_OK)
        e = ctx->store->ops->areas_get(ctx->store, layer, name_one, nm, d);
    t->R = nm->n;
    if (e == VG_OK && t->R > VG_PUBSTATS_MAX_ROWS)
        e = vg_fail(d, VG_LIMIT, "", 0, 0, "layer %s has %zu areas (at most %d)", layer, t->R,
                    VG_PUBSTATS_MAX_ROWS);
    if (e == VG_OK) {
        /* a day of margin each side: months are bounded in local time */
        int64_t f0 = vg_days_from_civil((int)(t->m0 / 12), (int)(t->m0 % 12) + 1, 1) * 86400 - 86400;
        int64_t f1 = vg_days_from_civil((int)((m1 + 1) / 12), (int)((m1 + 1) % 12) + 1, 1) * 86400 + 86400;
        struct vg_event_filter f = {cats, ncats, f0, f1, -1, -1, -1};
        e = vg_store_events(ctx->store, &f, &ev, d);
    }
    if (e == VG_OK) {
        t->x = vg_calloc(t->R * t->C + 1, sizeof *t->x);
        t->st = vg_calloc(t->R * t->C + 1, 1);
        e = t->x && t->st ? fill(ctx, layer, &ev, t, d) : VG_NOMEM;
    }
    vg_events_free(&ev);
    return e;
}

/* Write `b` to `path` and its SHA-256 into hex. */
static enum vg_err write_hashed(const char *path, const struct vg_buf *b, char hex[VG_AUDIT_HEX],
                                struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    FILE *fo = fopen(path, "wb");
    if (fo == NULL || fwrite(b->p, 1, b->len, fo) != b->len)
        e = vg_fail(d, VG_IO, path, 0, 0, "cannot write the table");
    if (fo && fclose(fo) != 0 && e == VG_OK)
        e = vg_fail(d, VG_IO, path, 0, 0, "cannot write the table");
    struct vg_audit_sha s;
    vg_audit_sha_init(&s);
    vg_audit_sha_update(&s, b->p, b->len);
    vg_audit_sha_final(&s, hex);
    return e;
}

enum vg_err vg_cmd_publish_stats(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "layer", "from", "to", "min", "category",
                                        "out", "user", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    struct table t;
    struct names nm;
    struct vg_buf csv;
    struct vg_pubstats_summary sum;
    int64_t m1 = 0;
    long thr = 5;
    int ctx_open = 0;
    char hex[VG_AUDIT_HEX];
    memset(&t, 0, sizeof t);
    vg_buf_init(&nm.ids, 0), nm.n = 0;
    vg_buf_init(&csv, 0);
    enum vg_err e = vg_args_parse(&a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    const char *out = db ? vg_args_need(&a, "out", d) : NULL;
    if (e || out == NULL)
        return e ? e : VG_USAGE;
    if ((e = parse_month("from", vg_args_get(&a, "from", NULL), &t.m0, d)) ||
        (e = parse_month("to", vg_args_get(&a, "to", NULL), &m1, d)) ||
        (e = vg_args_long(&a, "min", 5, &thr, d)))
        return e;
    if (m1 < t.m0 || m1 - t.m0 >= VG_PUBSTATS_MAX_COLS || thr < 1)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--to before --from, more than %d months, or --min < 1",
                       VG_PUBSTATS_MAX_COLS);
    t.C = (size_t)(m1 - t.m0 + 1);
    if ((e = vg_ctx_open(&ctx, db, 0, d)))
        return e;
    ctx_open = 1;
    const char *layer = vg_args_get(&a, "layer", ctx.layer);
    e = count_table(&ctx, layer, vg_args_get(&a, "category", NULL), m1, &t, &nm, d);
    struct vg_pubstats_opts o = {thr, 0};
    if (e == VG_OK)
        e = vg_pubstats_suppress(t.x, t.R, t.C, &o, t.st, &sum, d);
    if (e == VG_OK)
        e = write_csv(&t, &nm, &csv);
    if (e == VG_OK)
        e = write_hashed(out, &csv, hex, d);
    if (e == VG_OK) {
        fprintf(stderr, "%s: %zu areas x %zu months, %zu cells suppressed (%zu primary, %zu"
                " complementary, %zu weak); %zu incidents outside every area; sha256 %s\n",
                out, t.R, t.C, sum.primary + sum.complement, sum.primary, sum.complement,
                sum.weak, t.outside, hex);
        e = audit_publish(db, &a, out, hex, &sum, &t, d);
    }
    vg_free(t.x);
    vg_free(t.st);
    vg_buf_free(&nm.ids);
    vg_buf_free(&csv);
    if (ctx_open)
        vg_ctx_close(&ctx);
    return e;
}

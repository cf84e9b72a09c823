/*
 * cmd_review.c — `vigie review list|show|set`: the queue of logbook
 * entries whose machine category was not confident enough.  An analyst
 * confirms or corrects; the decision changes the entry's category at once,
 * is recorded in the audit trail (who, which entry, which category — no
 * text), and feeds the next `vigie classify train`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/context.h"

struct show {
    const struct vg_tz *tz;
    int full;
    size_t n;
};

/* Text on one line, at most `max` bytes, cut on a UTF-8 boundary. */
static void put_text(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0, k = n;
    if (k > max) {
        k = max;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    }
    for (size_t i = 0; i < k; i++)
        putchar(s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i]);
    if (k < n)
        fputs("…", stdout);
}

static enum vg_err show_row(void *arg, const struct vg_review_row *r)
{
    struct show *s = arg;
    char when[40];
    vg_tz_format_iso(s->tz, r->t_start, when, sizeof when);
    s->n++;
    if (!s->full) {
        printf("%-6lld %-19.19s %-16s %-26s %5.2f %-10s ", (long long)r->incident_id, when,
               r->source, r->suggested, r->confidence, r->status);
        put_text(r->text ? r->text : "(no text kept)", 70);
        putchar('\n');
        return VG_OK;
    }
    printf("entry       %lld\noccurred    %s\nsource      %s\nsuggested   %s (confidence %.3f)\n"
           "status      %s\ncategory    %s\n", (long long)r->incident_id, when, r->source,
           r->suggested, r->confidence, r->status, r->category);
    if (r->final_cat) {
        char dec[40];
        vg_tz_format_iso(s->tz, r->decided, dec, sizeof dec);
        printf("decided     %s by %s on %s\n", r->final_cat, r->analyst ? r->analyst : "?", dec);
    }
    printf("text        ");
    put_text(r->text ? r->text : "(no text kept)", 100000);
    putchar('\n');
    return VG_OK;
}

static enum vg_err open_db(struct vg_args *a, int argc, char **argv,
                           const char *const *known, struct vg_ctx *ctx, struct vg_diag *d)
{
    enum vg_err e = vg_args_parse(a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(a, known, d);
    const char *db = e ? NULL : vg_args_need(a, "db", d);
    if (db == NULL)
        return VG_USAGE;
    return vg_ctx_open(ctx, db, 0, d);
}

static enum vg_err entry_id(const struct vg_args *a, int64_t *id, struct vg_diag *d)
{
    char *end = NULL;
    long long v = a->npos == 1 ? strtoll(a->pos[0], &end, 10) : 0;
    if (a->npos != 1 || *end || v <= 0)
        return vg_fail(d, VG_USAGE, "", 0, 0, "give one entry ID (a positive number, see `vigie review list`)");
    *id = v;
    return VG_OK;
}

enum vg_err vg_cmd_review_list(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "status", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    enum vg_err e = open_db(&a, argc, argv, known, &ctx, d);
    if (e)
        return e;
    const char *st = vg_args_get(&a, "status", "pending");
    static const char *const statuses[] = {"pending", "confirmed", "corrected", "accepted",
                                           "author", "all"};
    size_t k = 0;
    while (k < 6 && strcmp(st, statuses[k]))
        k++;
    if (k == 6) {
        vg_ctx_close(&ctx);
        return vg_fail(d, VG_USAGE, "", 0, 0, "--status \"%s\": expected pending, confirmed, "
                       "corrected, accepted, author or all", st);
    }
    struct show s = {ctx.tz, 0, 0};
    printf("%-6s %-19s %-16s %-26s %5s %-10s %s\n", "entry", "occurred", "source", "suggested",
           "conf", "status", "text (scrubbed)");
    e = ctx.store->ops->reviews_get(ctx.store, 0, strcmp(st, "all") ? st : NULL, show_row, &s, d);
    if (e == VG_OK)
        printf("%zu entr%s (%s)\n", s.n, s.n == 1 ? "y" : "ies", st);
    vg_ctx_close(&ctx);
    return e;
}

enum vg_err vg_cmd_review_show(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    int64_t id;
    enum vg_err e = open_db(&a, argc, argv, known, &ctx, d);
    if (e)
        return e;
    struct show s = {ctx.tz, 1, 0};
    e = entry_id(&a, &id, d);
    if (e == VG_OK)
        e = ctx.store->ops->reviews_get(ctx.store, id, NULL, show_row, &s, d);
    vg_ctx_close(&ctx);
    return e;
}

static enum vg_err keep_status(void *arg, const struct vg_review_row *r)
{
    snprintf(arg, 16, "%s", r->status);
    return VG_OK;
}

enum vg_err vg_cmd_review_set(int argc, char **argv, struct vg_diag *d)
{
    static const char *const known[] = {"db", "category", "by", NULL};
    struct vg_args a;
    struct vg_ctx ctx;
    int64_t id;
    enum vg_err e = open_db(&a, argc, argv, known, &ctx, d);
    if (e)
        return e;
    const char *cat = NULL, *by = vg_args_get(&a, "by", getenv("USER"));
    e = entry_id(&a, &id, d);
    if (e == VG_OK && (cat = vg_args_need(&a, "category", d)) == NULL)
        e = VG_USAGE;
    if (e == VG_OK && vg_taxonomy_find(&ctx.tax, cat, strlen(cat)) < 0)
        e = vg_fail(d, VG_USAGE, "", 0, 0, "\"%s\" is not a category (see `vigie categories`)", cat);
    if (by == NULL || !*by)
        by = "cli";
    char status[16] = "";
    if (e == VG_OK)
        e = ctx.store->ops->review_decide(ctx.store, id, cat, by, (int64_t)time(NULL), d);
    if (e == VG_OK)
        e = ctx.store->ops->reviews_get(ctx.store, id, NULL, keep_status, status, d);
    if (e == VG_OK) {
        printf("entry %lld: %s as %s by %s\n", (long long)id, status, cat, by);
        char obj[40], det[200];
        snprintf(obj, sizeof obj, "incident:%lld", (long long)id);
        snprintf(det, sizeof det, "{\"category\":\"%s\",\"status\":\"%s\"}", cat, status);
        e = vg_cmd_logbook_audit(vg_args_get(&a, "db", ""), by, "analyst", "review.set", obj,
                                 "classification review", det, d);
    }
    vg_ctx_close(&ctx);
    return e;
}

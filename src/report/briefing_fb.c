/*
 * briefing_fb.c — Ensign et al.'s feedback-loop correction applied to a
 * briefing's model input (audit/feedback.h has the rule and the simulator).
 *
 * Where were police sent?  vigie records every forecast it gives (cli/
 * replay.h: the forecast table keeps each briefing's ranked places), so the
 * patrol dosage of a place on a night is read from the briefings recorded
 * for the same categories and units: the place was "sent to" that night if
 * it was among the first `places` of a briefing whose window started that
 * (local) day.  A discovered event of place u on day t then enters the
 * model with probability min(1, p_ref / p_sent), p_sent = the share of the
 * `days` nights up to t on which u was sent to, p_ref = 1 / days; reported
 * and camera events always enter.  Draws are deterministic per event id.
 * Only briefings recorded with an id <= max_forecast_id count (0 = all),
 * so a replay sees the dosage the original forecast saw.
 * Memory: everything is freed before return; b->past is replaced.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "audit/feedback.h"
#include "base/alloc.h"
#include "report/briefing.h"

struct sent {
    int32_t unit, day;
};

struct fb_scan {
    const struct vg_briefing *b;
    const struct vg_tz *tz;
    const char *const *sorted; /* unit labels, sorted, for bsearch */
    const int32_t *sorted_idx;
    size_t places;
    int64_t max_id;
    struct sent *s;
    size_t n, cap;
    size_t nights;
    int64_t max_seen;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_sent(const void *a, const void *b)
{
    const struct sent *x = a, *y = b;
    return x->unit != y->unit ? (x->unit > y->unit) - (x->unit < y->unit)
                              : (x->day > y->day) - (x->day < y->day);
}

static int32_t unit_of_label(const struct fb_scan *f, const char *label)
{
    const char *const *hit = bsearch(&label, f->sorted, f->b->units.n, sizeof *f->sorted, cmp_str);
    return hit ? f->sorted_idx[hit - f->sorted] : -1;
}

static enum vg_err on_forecast(void *arg, const struct vg_forecast_row *r)
{
    struct fb_scan *f = arg;
    if (r->id > f->max_seen)
        f->max_seen = r->id;
    if ((f->max_id > 0 && r->id > f->max_id) || strcmp(r->categories, f->b->categories) ||
        strcmp(r->units, f->b->units_spec) || r->window_start >= f->b->fc.window.start)
        return VG_OK;
    json_t *top = json_loads(r->top_json, 0, NULL);
    int32_t day = (int32_t)vg_tz_local_day(f->tz, r->window_start);
    f->nights++;
    for (size_t k = 0; json_is_array(top) && k < json_array_size(top) && k < f->places; k++) {
        const char *id = json_string_value(json_object_get(json_array_get(top, k), "unit"));
        int32_t u = id ? unit_of_label(f, id) : -1;
        if (u < 0)
            continue;
        if (f->n == f->cap) {
            size_t nc = f->cap ? 2 * f->cap : 1024;
            struct sent *ns = vg_realloc(f->s, nc * sizeof *ns);
            if (ns == NULL) {
                json_decref(top);
                return VG_NOMEM;
            }
            f->s = ns, f->cap = nc;
        }
        f->s[f->n++] = (struct sent){u, day};
    }
    json_decref(top);
    return VG_OK;
}

/* Nights in (day - days, day] on which unit u was sent to (s sorted, unique). */
static size_t sent_nights(const struct sent *s, size_t n, int32_t u, int32_t day, int32_t days)
{
    size_t lo = 0, hi = n, c = 0;
    while (lo < hi) { /* first (u, > day - days) */
        size_t m = lo + (hi - lo) / 2;
        if (s[m].unit < u || (s[m].unit == u && s[m].day <= day - days))
            lo = m + 1;
        else
            hi = m;
    }
    for (size_t i = lo; i < n && s[i].unit == u && s[i].day <= day; i++)
        c++;
    return c;
}

enum vg_err vg_briefing_feedback(struct vg_ctx *ctx, const struct vg_briefing_limits *lim,
                                 struct vg_briefing *b, struct vg_diag *d)
{
    size_t nu = b->units.n;
    const char **sorted = vg_calloc(nu + 1, sizeof *sorted);
    int32_t *idx = vg_calloc(nu + 1, sizeof *idx);
    double *p_sent = vg_calloc(b->past.n + 1, sizeof *p_sent);
    struct fb_scan f = {b, ctx->tz, sorted, idx, lim->patrol_places, lim->max_forecast_id,
                        NULL, 0, 0, 0, 0};
    struct vg_events out;
    enum vg_err e = sorted && idx && p_sent ? VG_OK : VG_NOMEM;
    for (size_t i = 0; e == VG_OK && i < nu; i++)
        sorted[i] = b->units.label[i];
    if (e == VG_OK) {
        qsort(sorted, nu, sizeof *sorted, cmp_str);
        for (size_t i = 0; i < nu; i++) /* labels are unique: find each one's index */
            idx[(const char **)bsearch(&b->units.label[i], sorted, nu, sizeof *sorted, cmp_str) -
                sorted] = (int32_t)i;
        e = ctx->store->ops->forecasts_get(ctx->store, 0, 0, b->fc.window.start, on_forecast, &f, d);
    }
    if (e == VG_OK && f.n) {
        qsort(f.s, f.n, sizeof *f.s, cmp_sent);
        size_t k = 0;
        for (size_t i = 0; i < f.n; i++) /* several briefings the same night count once */
            if (k == 0 || cmp_sent(&f.s[i], &f.s[k - 1]))
                f.s[k++] = f.s[i];
        f.n = k;
    }
    int32_t days = lim->dosage_days > 0 ? lim->dosage_days : 28;
    for (size_t k = 0; e == VG_OK && k < b->past.n; k++) {
        if (b->past.origin[k] != VG_ORIGIN_DISCOVERED)
            continue;
        b->fb_discovered++;
        int32_t u = vg_units_locate(&b->units, b->past.x[k], b->past.y[k]);
        p_sent[k] = u < 0 ? 0
                          : (double)sent_nights(f.s, f.n, u, (int32_t)vg_tz_local_day(ctx->tz, b->past.t[k]), days) /
                                days;
    }
    if (e == VG_OK)
        e = vg_fb_apply(&b->past, p_sent, VG_FB_ENSIGN, 1.0 / days, 1, &out, &b->fb_dropped, d);
    if (e == VG_OK) {
        vg_events_free(&b->past);
        b->past = out;
        b->fb_nights = f.nights;
        if (b->fb_max_forecast_id <= 0) /* what a replay must limit itself to */
            b->fb_max_forecast_id = f.max_seen;
    }
    vg_free(sorted), vg_free(idx), vg_free(p_sent), vg_free(f.s);
    return e;
}

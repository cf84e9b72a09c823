/*
 * stats.c — group-by counting for `vigie stats`.
 *
 * Each event contributes up to three tagged keys (its own period, shifted
 * from the previous period, shifted from a year before); the tagged keys are
 * sorted and run-length counted.  Memory: 3 × events × key tuple.
 */
#include "report/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/tz.h"

static const char *const key_names[VG_KEY__COUNT] = {
    "area", "category", "year", "month", "week", "date", "hour", "weekday",
    "source", "origin",
};

enum vg_err vg_stats_key_parse(const char *name, enum vg_stats_key *out)
{
    for (int i = 0; i < VG_KEY__COUNT; i++)
        if (!strcmp(name, key_names[i])) {
            *out = (enum vg_stats_key)i;
            return VG_OK;
        }
    return VG_USAGE;
}

struct tagged {
    int64_t key[VG_STATS_MAX_KEYS];
    int which; /* 0 current, 1 previous, 2 year before */
};

static size_t nkeys_sort;

static int cmp_tagged(const void *a, const void *b)
{
    const struct tagged *x = a, *y = b;
    for (size_t k = 0; k < nkeys_sort; k++)
        if (x->key[k] != y->key[k])
            return x->key[k] < y->key[k] ? -1 : 1;
    return 0;
}

static int64_t key_of(enum vg_stats_key k, const struct vg_events *ev,
                      size_t i, int64_t day, const struct vg_civil *c)
{
    int y, m, dd;
    switch (k) {
    case VG_KEY_AREA: return ev->area[i];
    case VG_KEY_CATEGORY: return ev->cat[i];
    case VG_KEY_YEAR: vg_civil_from_days(day, &y, &m, &dd); return y;
    case VG_KEY_MONTH: vg_civil_from_days(day, &y, &m, &dd); return (int64_t)y * 100 + m;
    case VG_KEY_WEEK: {
        int iy, w;
        vg_iso_week(day, &iy, &w);
        return (int64_t)iy * 100 + w;
    }
    case VG_KEY_DATE: return day;
    case VG_KEY_HOUR: return c->hour;
    case VG_KEY_WEEKDAY: return vg_weekday_of_days(day);
    case VG_KEY_SOURCE: return ev->source[i];
    case VG_KEY_ORIGIN: return ev->origin[i];
    case VG_KEY__COUNT: break;
    }
    return 0;
}

/* The same local date one calendar year later (29 Feb → 28 Feb). */
static int64_t plus_year(int64_t day)
{
    int y, m, d;
    vg_civil_from_days(day, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    return vg_days_from_civil(y + 1, m, d);
}

enum vg_err vg_stats_compute(const struct vg_stats_query *q,
                             const struct vg_events *ev, struct vg_stats *out,
                             struct vg_diag *d)
{
    memset(out, 0, sizeof *out);
    out->q = *q;
    int64_t len = q->to_day - q->from_day;
    if (len <= 0)
        return vg_fail(d, VG_USAGE, "", 0, 0, "empty period: --to must be after --from");
    struct tagged *t = vg_calloc(ev->n * 3 + 1, sizeof *t);
    if (t == NULL)
        return VG_NOMEM;
    size_t nt = 0;
    for (size_t i = 0; i < ev->n; i++) {
        struct vg_civil c;
        int32_t off;
        vg_tz_to_local(q->tz, ev->t[i], &c, &off);
        int64_t day = vg_days_from_civil(c.year, c.month, c.day);
        int64_t cand[3] = {day, day + len, plus_year(day)};
        for (int w = 0; w < 3; w++) {
            if (cand[w] < q->from_day || cand[w] >= q->to_day)
                continue;
            struct tagged *tg = &t[nt++];
            tg->which = w;
            for (size_t k = 0; k < q->nkeys; k++)
                tg->key[k] = key_of(q->keys[k], ev, i, cand[w], &c);
        }
    }
    nkeys_sort = q->nkeys;
    qsort(t, nt, sizeof *t, cmp_tagged);
    enum vg_err e = VG_OK;
    size_t cap = 0;
    for (size_t i = 0; i < nt;) {
        size_t j = i;
        double cnt[3] = {0, 0, 0};
        while (j < nt && cmp_tagged(&t[i], &t[j]) == 0)
            cnt[t[j++].which]++;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 64;
            struct vg_stats_row *r = vg_reallocarray(out->rows, cap, sizeof *r);
            if (r == NULL) {
                e = VG_NOMEM;
                break;
            }
            out->rows = r;
        }
        struct vg_stats_row *r = &out->rows[out->n++];
        memcpy(r->key, t[i].key, sizeof r->key);
        r->count = cnt[0];
        r->prev = cnt[1];
        r->year_before = cnt[2];
        out->total += cnt[0];
        out->total_prev += cnt[1];
        out->total_year += cnt[2];
        i = j;
    }
    vg_free(t);
    if (e)
        vg_stats_free(out);
    return e;
}

void vg_stats_free(struct vg_stats *s)
{
    if (s == NULL)
        return;
    vg_free(s->rows);
    s->rows = NULL;
    s->n = 0;
}

/* ---- rendering ---- */

struct col {
    char text[160];
    int numeric;
};

static void key_text(const struct vg_stats *s, size_t k, int64_t v,
                     const char *lang, char *out, size_t cap, char *out2,
                     size_t cap2)
{
    const struct vg_stats_query *q = &s->q;
    int y, m, d;
    out2[0] = '\0';
    switch (q->keys[k]) {
    case VG_KEY_AREA:
        if (v >= 0 && (size_t)v < q->nareas) {
            snprintf(out, cap, "%s", q->areas[v].id);
            snprintf(out2, cap2, "%s", q->areas[v].name ? q->areas[v].name : "");
        } else {
            snprintf(out, cap, "%s", "");
            snprintf(out2, cap2, "%s", !strcmp(lang, "en") ? "(outside any area)" : "(hors quartiers)");
        }
        break;
    case VG_KEY_CATEGORY:
        snprintf(out, cap, "%s", v >= 0 && (size_t)v < q->tax->n ? q->tax->cat[v].code : "?");
        break;
    case VG_KEY_YEAR: snprintf(out, cap, "%lld", (long long)v); break;
    case VG_KEY_MONTH: snprintf(out, cap, "%04lld-%02lld", (long long)(v / 100), (long long)(v % 100)); break;
    case VG_KEY_WEEK: snprintf(out, cap, "%04lld-W%02lld", (long long)(v / 100), (long long)(v % 100)); break;
    case VG_KEY_DATE:
        vg_civil_from_days(v, &y, &m, &d);
        snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
        break;
    case VG_KEY_HOUR:
    case VG_KEY_WEEKDAY: snprintf(out, cap, "%lld", (long long)v); break;
    case VG_KEY_SOURCE: snprintf(out, cap, "%s", vg_source_name((enum vg_source)v)); break;
    case VG_KEY_ORIGIN: snprintf(out, cap, "%s", vg_origin_name((enum vg_origin)v)); break;
    case VG_KEY__COUNT: out[0] = '\0'; break;
    }
}

static void num(char *out, size_t cap, double v, int decimals, int comma)
{
    if (!isfinite(v)) {
        snprintf(out, cap, "%s", "");
        return;
    }
    snprintf(out, cap, "%.*f", decimals, v);
    if (comma)
        for (char *p = out; *p; p++)
            if (*p == '.')
                *p = ',';
}

static double pct_change(double now, double before)
{
    return before > 0 ? 100.0 * (now - before) / before : NAN;
}

enum vg_err vg_stats_render(const struct vg_stats *s, enum vg_stats_format f,
                            int excel_fr, const char *lang, struct vg_buf *out)
{
    const struct vg_stats_query *q = &s->q;
    int has_area = 0, has_pop = 0, en = lang && !strcmp(lang, "en");
    for (size_t k = 0; k < q->nkeys; k++)
        if (q->keys[k] == VG_KEY_AREA)
            has_area = 1;
    for (size_t a = 0; has_area && a < q->nareas; a++)
        if (!isnan(q->areas[a].population))
            has_pop = 1;
    /* header */
    const char *hdr[24];
    size_t nh = 0;
    for (size_t k = 0; k < q->nkeys; k++) {
        if (q->keys[k] == VG_KEY_AREA) {
            hdr[nh++] = "area_id";
            hdr[nh++] = "area_name";
        } else {
            hdr[nh++] = key_names[q->keys[k]];
        }
    }
    size_t first_num = nh;
    hdr[nh++] = "count";
    hdr[nh++] = "share_pct";
    if (has_area)
        hdr[nh++] = "per_km2";
    if (has_pop)
        hdr[nh++] = "per_1000_inhabitants";
    hdr[nh++] = "previous_period";
    hdr[nh++] = "change_previous_pct";
    hdr[nh++] = "year_before";
    hdr[nh++] = "change_year_pct";
    if (q->nkeys == 1 && q->keys[0] == VG_KEY_CATEGORY)
        hdr[nh++] = "label";

    size_t nrows = s->n;
    struct col *cells = vg_calloc((nrows + 1) * nh, sizeof *cells);
    if (cells == NULL)
        return VG_NOMEM;
    int comma = excel_fr && f == VG_STATS_CSV;
    for (size_t r = 0; r < nrows; r++) {
        const struct vg_stats_row *row = &s->rows[r];
        struct col *c = &cells[r * nh];
        size_t j = 0;
        int64_t area = -1;
        for (size_t k = 0; k < q->nkeys; k++) {
            char a[160], b[160];
            key_text(s, k, row->key[k], en ? "en" : "fr", a, sizeof a, b, sizeof b);
            snprintf(c[j++].text, sizeof c->text, "%s", a);
            if (q->keys[k] == VG_KEY_AREA) {
                snprintf(c[j++].text, sizeof c->text, "%s", b);
                area = row->key[k];
            }
        }
        num(c[j].text, sizeof c->text, row->count, 0, comma), c[j++].numeric = 1;
        num(c[j].text, sizeof c->text, s->total > 0 ? 100 * row->count / s->total : NAN, 1, comma), c[j++].numeric = 1;
        int known = area >= 0 && (size_t)area < q->nareas;
        if (has_area) {
            num(c[j].text, sizeof c->text, known && q->areas[area].km2 > 0 ? row->count / q->areas[area].km2 : NAN, 2, comma);
            c[j++].numeric = 1;
        }
        if (has_pop) {
            num(c[j].text, sizeof c->text, known && q->areas[area].population > 0 ? 1000 * row->count / q->areas[area].population : NAN, 2, comma);
            c[j++].numeric = 1;
        }
        num(c[j].text, sizeof c->text, row->prev, 0, comma), c[j++].numeric = 1;
        num(c[j].text, sizeof c->text, pct_change(row->count, row->prev), 1, comma), c[j++].numeric = 1;
        num(c[j].text, sizeof c->text, row->year_before, 0, comma), c[j++].numeric = 1;
        num(c[j].text, sizeof c->text, pct_change(row->count, row->year_before), 1, comma), c[j++].numeric = 1;
        if (j < nh) {
            int64_t ci = row->key[0];
            const char *lab = ci >= 0 && (size_t)ci < q->tax->n ? (en ? q->tax->cat[ci].label_en : q->tax->cat[ci].label_fr) : "";
            snprintf(c[j++].text, sizeof c->text, "%s", lab);
        }
    }
    enum vg_err e = VG_OK;
    if (f == VG_STATS_CSV) {
        char sep = excel_fr ? ';' : ',';
        for (size_t h = 0; h < nh; h++)
            e = e ? e : vg_buf_printf(out, "%s%c", hdr[h], h + 1 < nh ? sep : '\n');
        for (size_t r = 0; r < nrows && e == VG_OK; r++)
            for (size_t h = 0; h < nh; h++) {
                const char *t = cells[r * nh + h].text;
                if (strchr(t, sep) || strchr(t, '"')) {
                    e = vg_buf_addc(out, '"');
                    for (const char *p = t; *p && e == VG_OK; p++)
                        e = *p == '"' ? vg_buf_adds(out, "\"\"") : vg_buf_addc(out, *p);
                    e = e ? e : vg_buf_addc(out, '"');
                } else {
                    e = vg_buf_adds(out, t);
                }
                e = e ? e : vg_buf_addc(out, h + 1 < nh ? sep : '\n');
            }
    } else if (f == VG_STATS_JSON) {
        e = vg_buf_printf(out, "{\"total\":%.0f,\"previous_period\":%.0f,\"year_before\":%.0f,\"rows\":[",
                          s->total, s->total_prev, s->total_year);
        for (size_t r = 0; r < nrows && e == VG_OK; r++) {
            e = vg_buf_adds(out, r ? ",{" : "{");
            for (size_t h = 0; h < nh && e == VG_OK; h++) {
                const struct col *c = &cells[r * nh + h];
                e = vg_buf_printf(out, "%s\"%s\":", h ? "," : "", hdr[h]);
                if (e == VG_OK && c->numeric)
                    e = vg_buf_adds(out, c->text[0] ? c->text : "null");
                else if (e == VG_OK)
                    e = vg_buf_json_str(out, c->text, strlen(c->text));
            }
            e = e ? e : vg_buf_addc(out, '}');
        }
        e = e ? e : vg_buf_adds(out, "]}\n");
    } else {
        size_t w[24];
        for (size_t h = 0; h < nh; h++) {
            w[h] = strlen(hdr[h]);
            for (size_t r = 0; r < nrows; r++) {
                /* width in characters: count UTF-8 lead bytes */
                size_t n = 0;
                for (const char *p = cells[r * nh + h].text; *p; p++)
                    n += ((unsigned char)*p & 0xC0) != 0x80;
                if (n > w[h])
                    w[h] = n;
            }
        }
        for (size_t h = 0; h < nh; h++)
            e = e ? e : vg_buf_printf(out, "%s%-*s", h ? "  " : "", (int)w[h], hdr[h]);
        e = e ? e : vg_buf_addc(out, '\n');
        for (size_t r = 0; r < nrows && e == VG_OK; r++) {
            for (size_t h = 0; h < nh; h++) {
                const struct col *c = &cells[r * nh + h];
                size_t n = 0;
                for (const char *p = c->text; *p; p++)
                    n += ((unsigned char)*p & 0xC0) != 0x80;
                size_t pad = w[h] > n ? w[h] - n : 0;
                if (h)
                    e = e ? e : vg_buf_adds(out, "  ");
                if (c->numeric || h >= first_num)
                    for (size_t k = 0; k < pad && c->numeric; k++)
                        e = e ? e : vg_buf_addc(out, ' ');
                e = e ? e : vg_buf_adds(out, c->text);
                if (!c->numeric && h + 1 < nh)
                    for (size_t k = 0; k < pad; k++)
                        e = e ? e : vg_buf_addc(out, ' ');
            }
            e = e ? e : vg_buf_addc(out, '\n');
        }
        e = e ? e : vg_buf_printf(out, en ? "total %.0f (previous period %.0f, a year before %.0f)\n"
                                         : "total %.0f (période précédente %.0f, un an avant %.0f)\n",
                                  s->total, s->total_prev, s->total_year);
    }
    vg_free(cells);
    return e;
}

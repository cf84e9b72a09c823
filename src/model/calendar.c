/*
 * calendar.c — French public holidays and school-holiday periods.
 *
 * Easter uses the anonymous Gregorian algorithm (Meeus, Astronomical
 * Algorithms, 1991, ch. 8); Easter Monday = +1, Ascension = +39, Whit Monday
 * (lundi de Pentecôte) = +50.  School periods come from a caller-provided
 * file because they differ by zone (A/B/C) and year.  The calendar owns its
 * two arrays.
 */
#include "model/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/tz.h"

#define CAL_MAX_LINES 10000
#define CAL_MAX_LINE 200

int64_t vg_calendar_easter(int y)
{
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = ((h + l - 7 * m + 114) % 31) + 1;
    return vg_days_from_civil(y, month, day);
}

int vg_calendar_french_holiday(int64_t day)
{
    static const int fixed[][2] = {{1, 1}, {5, 1}, {5, 8}, {7, 14},
                                   {8, 15}, {11, 1}, {11, 11}, {12, 25}};
    int y, m, dd;
    vg_civil_from_days(day, &y, &m, &dd);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (fixed[i][0] == m && fixed[i][1] == dd)
            return 1;
    int64_t e = vg_calendar_easter(y);
    return day == e + 1 || day == e + 39 || day == e + 50;
}

int vg_calendar_public(const struct vg_calendar *c, int64_t day)
{
    if (c && !c->public_holidays)
        return 0;
    return vg_calendar_french_holiday(day);
}

int vg_calendar_school(const struct vg_calendar *c, int64_t day)
{
    if (!c || c->n == 0)
        return 0;
    /* last period with from <= day */
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->from[mid] <= day)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i-- > 0;) {
        if (c->to[i] >= day)
            return 1;
        if (c->from[i] + 400 < day) /* periods are shorter than a year */
            break;
    }
    return 0;
}

void vg_calendar_init(struct vg_calendar *c)
{
    memset(c, 0, sizeof *c);
    c->public_holidays = 1;
}

void vg_calendar_free(struct vg_calendar *c)
{
    if (!c)
        return;
    vg_free(c->from);
    vg_free(c->to);
    c->from = c->to = NULL;
    c->n = 0;
}

static int parse_day(const char *s, int64_t *out)
{
    int y, m, d;
    char tmp[11];
    if (strlen(s) < 10)
        return -1;
    memcpy(tmp, s, 10);
    tmp[10] = 0;
    if (vg_parse_date(tmp, &y, &m, &d) != VG_OK)
        return -1;
    *out = vg_days_from_civil(y, m, d);
    return 0;
}

static void sort_periods(struct vg_calendar *c)
{
    for (size_t i = 1; i < c->n; i++) { /* insertion sort: files are small */
        int64_t f = c->from[i], t = c->to[i];
        size_t j = i;
        while (j > 0 && c->from[j - 1] > f) {
            c->from[j] = c->from[j - 1];
            c->to[j] = c->to[j - 1];
            j--;
        }
        c->from[j] = f;
        c->to[j] = t;
    }
}

static enum vg_err push_period(struct vg_calendar *c, int64_t f, int64_t t)
{
    int64_t *nf = vg_reallocarray(c->from, c->n + 1, sizeof *nf);
    if (!nf)
        return VG_NOMEM;
    c->from = nf;
    int64_t *nt = vg_reallocarray(c->to, c->n + 1, sizeof *nt);
    if (!nt)
        return VG_NOMEM;
    c->to = nt;
    c->from[c->n] = f;
    c->to[c->n] = t;
    c->n++;
    return VG_OK;
}

enum vg_err vg_calendar_parse_school(const char *text, const char *name,
                                     struct vg_calendar *c, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    size_t line = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char buf[CAL_MAX_LINE + 1];
        line++;
        if (line > CAL_MAX_LINES) {
            e = vg_fail(d, VG_LIMIT, name, line, 0, "more than %d lines", CAL_MAX_LINES);
            goto out;
        }
        if (len > CAL_MAX_LINE) {
            e = vg_fail(d, VG_LIMIT, name, line, 0, "line longer than %d bytes", CAL_MAX_LINE);
            goto out;
        }
        memcpy(buf, p, len);
        buf[len] = 0;
        p = nl ? nl + 1 : p + len;
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = 0;
        char *s = buf;
        while (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
        if (*s == 0)
            continue;
        int64_t f, t;
        char *s2 = s;
        while (*s2 && *s2 != ' ' && *s2 != '\t' && *s2 != ',' && *s2 != ';')
            s2++;
        while (*s2 == ' ' || *s2 == '\t' || *s2 == ',' || *s2 == ';')
            s2++;
        if (parse_day(s, &f) || parse_day(s2, &t) || t < f || t - f > 366) {
            e = vg_fail(d, VG_PARSE, name, line, 0,
                        "\"%.60s\" is not a period \"YYYY-MM-DD YYYY-MM-DD\" "
                        "(first <= last, under a year)", s);
            goto out;
        }
        if ((e = push_period(c, f, t)) != VG_OK) {
            vg_fail(d, e, name, line, 0, "out of memory");
            goto out;
        }
    }
    sort_periods(c);
out:
    return e;
}

enum vg_err vg_calendar_load_school(const char *path, struct vg_calendar *c,
                                    struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    char *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return vg_fail(d, VG_IO, path, 0, 0, "cannot open school-holiday file");
    size_t cap = (size_t)CAL_MAX_LINES * (CAL_MAX_LINE + 1) + 1;
    text = vg_malloc(cap + 1);
    if (!text) {
        e = vg_fail(d, VG_NOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    size_t got = fread(text, 1, cap, f);
    if (ferror(f)) {
        e = vg_fail(d, VG_IO, path, 0, 0, "read error");
        goto out;
    }
    if (got == cap) {
        e = vg_fail(d, VG_LIMIT, path, 0, 0, "file larger than %zu bytes", cap - 1);
        goto out;
    }
    text[got] = 0;
    e = vg_calendar_parse_school(text, path, c, d);
out:
    vg_free(text);
    fclose(f);
    return e;
}

/*
 * dtfmt.c — compiled date/time formats.
 *
 * A pattern compiles to a flat list of ops; "[" and "]" become OPT_BEGIN /
 * OPT_END, each OPT_BEGIN's arg holding the index of its OPT_END, so the
 * matcher can try an optional group and fall back to skipping it.  Matching
 * never allocates; only optional groups recurse (depth bounded by nesting).
 */
#include "base/dtfmt.h"

#include <stdio.h>
#include <string.h>

enum op { LIT, SPACE, YEAR, MON, DAY, HOUR, HOUR12, MIN, SEC, AMPM, ZONE, FRAC,
          TSEP, OPT_BEGIN, OPT_END };

static const struct { const char *name, *pattern; } named[] = {
    {"iso", "%Y-%m-%d[%_%H:%M[:%S[%f]][%z]]"},
    {"fr", "%d/%m/%Y[ %H:%M[:%S]]"},
    {"us12", "%m/%d/%Y %I:%M[:%S] %p"},
    {"compact", "%Y%m%d[%H%M[%S]]"},
};

enum vg_err vg_dtfmt_compile(const char *pattern, struct vg_dtfmt *f,
                             struct vg_diag *d)
{
    memset(f, 0, sizeof *f);
    snprintf(f->text, sizeof f->text, "%s", pattern);
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (!strcmp(pattern, named[i].name))
            pattern = named[i].pattern;
    size_t stack[8], depth = 0;
    int has12 = 0, hasp = 0;
    for (const char *s = pattern; *s; s++) {
        if (f->nop + 1 >= VG_DTFMT_MAX)
            return vg_fail(d, VG_LIMIT, "", 0, 0, "date format \"%s\" is too long", f->text);
        unsigned char op = LIT, arg = 0;
        if (*s == '%') {
            switch (*++s) {
            case 'Y': op = YEAR; break;
            case 'm': op = MON; break;
            case 'd': op = DAY; break;
            case 'H': op = HOUR; break;
            case 'I': op = HOUR12; has12 = 1; break;
            case 'M': op = MIN; break;
            case 'S': op = SEC; break;
            case 'p': op = AMPM; hasp = 1; break;
            case 'z': op = ZONE; break;
            case 'f': op = FRAC; break;
            case '_': op = TSEP; break;
            case '%': op = LIT; arg = '%'; break;
            default:
                return vg_fail(d, VG_PARSE, "", 0, 0,
                               "date format \"%s\": unknown directive %%%c (known: %%Y %%m %%d %%H %%I %%M %%S %%p %%z %%f %%_)",
                               f->text, *s ? *s : '?');
            }
        } else if (*s == '[') {
            if (depth == 8)
                return vg_fail(d, VG_LIMIT, "", 0, 0, "date format \"%s\" nests too deeply", f->text);
            stack[depth++] = f->nop;
            op = OPT_BEGIN;
        } else if (*s == ']') {
            if (depth == 0)
                return vg_fail(d, VG_PARSE, "", 0, 0, "date format \"%s\": ']' without '['", f->text);
            f->arg[stack[--depth]] = (unsigned char)f->nop;
            op = OPT_END;
        } else if (*s == ' ') {
            op = SPACE;
        } else {
            arg = (unsigned char)*s;
        }
        f->op[f->nop] = op;
        if (op != OPT_BEGIN)
            f->arg[f->nop] = arg;
        f->nop++;
    }
    if (depth)
        return vg_fail(d, VG_PARSE, "", 0, 0, "date format \"%s\": '[' not closed", f->text);
    if (has12 != hasp)
        return vg_fail(d, VG_PARSE, "", 0, 0, "date format \"%s\": %%I and %%p go together", f->text);
    if (f->nop == 0)
        return vg_fail(d, VG_PARSE, "", 0, 0, "empty date format");
    return VG_OK;
}

struct st {
    int year, mon, day, hour, min, sec, ampm, h12, has_time, has_off;
    int32_t off;
};

static int digits(const char *s, size_t len, size_t *pos, int min, int max, int *out)
{
    int v = 0, n = 0;
    while (*pos < len && n < max && s[*pos] >= '0' && s[*pos] <= '9') {
        v = v * 10 + (s[(*pos)++] - '0');
        n++;
    }
    *out = v;
    return n >= min;
}

static int match_one(const struct vg_dtfmt *f, size_t i, const char *s,
                     size_t len, size_t *pos, struct st *t, const char **why)
{
    unsigned char op = f->op[i];
    int v;
    switch (op) {
    case LIT:
        if (*pos < len && s[*pos] == (char)f->arg[i]) {
            (*pos)++;
            return 1;
        }
        *why = "does not match the format";
        return 0;
    case SPACE:
        if (*pos >= len || s[*pos] != ' ') {
            *why = "does not match the format (space expected)";
            return 0;
        }
        while (*pos < len && s[*pos] == ' ')
            (*pos)++;
        return 1;
    case TSEP:
        if (*pos < len && (s[*pos] == 'T' || s[*pos] == ' ')) {
            (*pos)++;
            return 1;
        }
        *why = "does not match the format ('T' or space expected)";
        return 0;
    case YEAR:
        if (!digits(s, len, pos, 4, 4, &t->year))
            return *why = "year must have 4 digits", 0;
        return 1;
    case MON:
        if (!digits(s, len, pos, 1, 2, &t->mon))
            return *why = "month expected", 0;
        return 1;
    case DAY:
        if (!digits(s, len, pos, 1, 2, &t->day))
            return *why = "day expected", 0;
        return 1;
    case HOUR:
    case HOUR12:
        if (!digits(s, len, pos, 1, 2, &t->hour))
            return *why = "hour expected", 0;
        t->has_time = 1;
        t->h12 = op == HOUR12;
        return 1;
    case MIN:
        if (!digits(s, len, pos, 2, 2, &t->min))
            return *why = "minutes expected (2 digits)", 0;
        return 1;
    case SEC:
        if (!digits(s, len, pos, 2, 2, &t->sec))
            return *why = "seconds expected (2 digits)", 0;
        return 1;
    case AMPM:
        if (*pos + 2 <= len && (s[*pos + 1] == 'M' || s[*pos + 1] == 'm')) {
            char c = s[*pos];
            if (c == 'A' || c == 'a' || c == 'P' || c == 'p') {
                t->ampm = (c == 'P' || c == 'p') ? 2 : 1;
                *pos += 2;
                return 1;
            }
        }
        *why = "expected AM or PM";
        return 0;
    case FRAC:
        if (*pos < len && (s[*pos] == '.' || s[*pos] == ',')) {
            (*pos)++;
            if (!digits(s, len, pos, 1, 9, &v))
                return *why = "fraction of second expected", 0;
        }
        return 1;
    case ZONE:
        if (*pos < len && (s[*pos] == 'Z' || s[*pos] == 'z')) {
            (*pos)++;
            t->has_off = 1;
            t->off = 0;
            return 1;
        }
        if (*pos < len && (s[*pos] == '+' || s[*pos] == '-')) {
            int sign = s[(*pos)++] == '-' ? -1 : 1, hh, mm = 0;
            if (!digits(s, len, pos, 2, 2, &hh))
                return *why = "zone offset hours expected", 0;
            if (*pos < len && s[*pos] == ':')
                (*pos)++;
            if (*pos < len && s[*pos] >= '0' && s[*pos] <= '9' && !digits(s, len, pos, 2, 2, &mm))
                return *why = "zone offset minutes expected", 0;
            if (hh > 18 || mm > 59)
                return *why = "zone offset out of range", 0;
            t->has_off = 1;
            t->off = sign * (hh * 3600 + mm * 60);
            return 1;
        }
        *why = "zone designator (Z or +hh:mm) expected";
        return 0;
    case OPT_BEGIN: /* handled by match() */
    case OPT_END:
        return 1;
    }
    return 0;
}

static int match(const struct vg_dtfmt *f, size_t i, const char *s,
                 size_t len, size_t *pos, struct st *t, const char **why)
{
    while (i < f->nop) {
        if (f->op[i] == OPT_BEGIN) {
            /* an optional group: try it with everything after it, else skip */
            size_t save = *pos;
            struct st saved = *t;
            if (match(f, i + 1, s, len, pos, t, why))
                return 1;
            *pos = save;
            *t = saved;
            i = (size_t)f->arg[i] + 1;
            continue;
        }
        if (!match_one(f, i, s, len, pos, t, why))
            return 0;
        i++;
    }
    if (*pos != len)
        *why = "has unexpected characters at the end";
    return *pos == len;
}

static int days_in(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 ? 28 + ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) : dm[m - 1];
}

enum vg_err vg_dtfmt_parse(const struct vg_dtfmt *f, const char *s, size_t len,
                           struct vg_dt *out, const char **why)
{
    const char *w = NULL;
    while (len && s[0] == ' ')
        s++, len--;
    while (len && s[len - 1] == ' ')
        len--;
    struct st t;
    memset(&t, 0, sizeof t);
    size_t pos = 0;
    if (!match(f, 0, s, len, &pos, &t, &w)) {
        if (why)
            *why = w ? w : "has unexpected characters at the end";
        return VG_PARSE;
    }
    if (t.mon < 1 || t.mon > 12)
        w = "month out of range (1-12)";
    else if (t.day < 1 || t.day > days_in(t.year, t.mon))
        w = "day does not exist in that month";
    else if (t.h12 && (t.hour < 1 || t.hour > 12))
        w = "hour out of range for a 12-hour clock (1-12)";
    else if (!t.h12 && t.hour > 23)
        w = "hour out of range (0-23)";
    else if (t.min > 59)
        w = "minutes out of range (0-59)";
    else if (t.sec > 59)
        w = "seconds out of range (0-59)";
    if (w) {
        if (why)
            *why = w;
        return VG_PARSE;
    }
    if (t.h12)
        t.hour = t.hour % 12 + (t.ampm == 2 ? 12 : 0);
    out->year = t.year;
    out->month = t.mon;
    out->day = t.day;
    out->hour = t.hour;
    out->min = t.min;
    out->sec = t.sec;
    out->has_time = t.has_time;
    out->has_offset = t.has_off;
    out->offset = t.off;
    return VG_OK;
}

/*
 * tz.c — civil-date arithmetic, IANA time zones and patrol-shift windows.
 *
 * Civil dates use Howard Hinnant's closed-form days_from_civil /
 * civil_from_days (proleptic Gregorian, any int year), so no loop and no
 * libc time function is involved.
 *
 * A zone is a sorted array of transitions (UTC instant, offset in force from
 * that instant on) read from the 64-bit section of a TZif v2+ file (RFC 8536).
 * When the file ends with a POSIX TZ footer rule ("CET-1CEST,M3.5.0,M10.5.0/3"),
 * the rule's transitions are appended to the table up to year VG_TZ_GEN_END,
 * so that "slim" Debian files and the years after the last explicit
 * transition cost the same binary search; past that year the rule is
 * evaluated directly.
 *
 * Invariant: a loaded zone is immutable; at[] is strictly increasing.
 * Memory: zones are allocated once by vg_tz_get(), kept in a process-wide
 * list guarded by a mutex, and never freed (they live for the process).
 */
#include "base/tz.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"

#define VG_TZ_GEN_END 2100         /* rule transitions tabulated up to here */
#define VG_TZ_MAX_FILE (1u << 20)  /* TZif files are a few KiB */
#define VG_TZ_MAX_TRANS 4096u      /* limit on explicit transitions */
#define VG_TZ_NAME_MAX 64

/* One date of a POSIX rule: Mm.w.d, Jn (1..365, no Feb 29) or n (0..365). */
struct rule_date {
    char kind; /* 'M', 'J' or 'N' */
    int m, w, d;
    int32_t time; /* local seconds after midnight, may be <0 or >24h */
};

struct posix_rule {
    int32_t std_off, dst_off; /* seconds east of UTC */
    int has_dst;
    struct rule_date start, end;
};

struct vg_tz {
    char name[VG_TZ_NAME_MAX];
    size_t n;        /* number of transitions */
    int64_t *at;     /* transition instants, strictly increasing */
    int32_t *off;    /* offset in force from at[i] on */
    int32_t off0;    /* offset before at[0] (or always, if n == 0) */
    int has_rule;    /* a DST rule applies from gen_end on */
    int64_t gen_end; /* first instant not covered by the table */
    struct posix_rule rule;
    struct vg_tz *next; /* cache list */
};

/* ---- civil dates ------------------------------------------------------ */

int64_t vg_days_from_civil(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void vg_civil_from_days(int64_t days, int *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

int vg_weekday_of_days(int64_t days)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int64_t r = (days + 3) % 7;
    if (r < 0)
        r += 7;
    return (int)r + 1;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    return m == 2 ? 28 + is_leap(y) : dim[m - 1];
}

void vg_iso_week(int64_t days, int *iso_year, int *week)
{
    /* The ISO year of a day is the calendar year of the Thursday of its
     * week; the week number counts Thursdays from 1 January of that year. */
    int64_t thu = days - vg_weekday_of_days(days) + 4;
    int y, m, d;
    vg_civil_from_days(thu, &y, &m, &d);
    *iso_year = y;
    *week = (int)((thu - vg_days_from_civil(y, 1, 1)) / 7 + 1);
}

static int civil_valid(int y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* ---- POSIX TZ footer rule --------------------------------------------- */

static const char *rule_name(const char *p)
{
    if (*p == '<') {
        const char *q = strchr(p, '>');
        return q ? q + 1 : NULL;
    }
    const char *q = p;
    while ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z'))
        q++;
    return q - p >= 3 ? q : NULL;
}

/* [+-]hh[:mm[:ss]] with hh <= maxh; returns the end or NULL. */
static const char *rule_hms(const char *p, int maxh, int32_t *out)
{
    int sign = 1;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    long v[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (i > 0) {
            if (*p != ':')
                break;
            p++;
        }
        if (*p < '0' || *p > '9')
            return NULL;
        int nd = 0;
        while (*p >= '0' && *p <= '9' && nd < 3) {
            v[i] = v[i] * 10 + (*p++ - '0');
            nd++;
        }
    }
    if (v[0] > maxh || v[1] > 59 || v[2] > 59)
        return NULL;
    *out = (int32_t)(sign * (v[0] * 3600 + v[1] * 60 + v[2]));
    return p;
}

static const char *rule_num(const char *p, int lo, int hi, int *out)
{
    long v = 0;
    int nd = 0;
    while (*p >= '0' && *p <= '9' && nd < 4) {
        v = v * 10 + (*p++ - '0');
        nd++;
    }
    if (nd == 0 || v < lo || v > hi)
        return NULL;
    *out = (int)v;
    return p;
}

static const char *rule_date(const char *p, struct rule_date *r)
{
    r->time = 7200;
    if (*p == 'M') {
        r->kind = 'M';
        p = rule_num(p + 1, 1, 12, &r->m);
        if (p && *p == '.')
            p = rule_num(p + 1, 1, 5, &r->w);
        else
            p = NULL;
        if (p && *p == '.')
            p = rule_num(p + 1, 0, 6, &r->d);
        else
            p = NULL;
    } else if (*p == 'J') {
        r->kind = 'J';
        p = rule_num(p + 1, 1, 365, &r->d);
    } else {
        r->kind = 'N';
        p = rule_num(p, 0, 365, &r->d);
    }
    if (p && *p == '/')
        p = rule_hms(p + 1, 167, &r->time);
    return p;
}

/* Parse a POSIX TZ string; returns 0 on success. */
static int rule_parse(const char *s, struct posix_rule *r)
{
    int32_t v;
    const char *p = rule_name(s);
    memset(r, 0, sizeof *r);
    if (p == NULL || (p = rule_hms(p, 24, &v)) == NULL)
        return -1;
    r->std_off = -v;
    if (*p == '\0')
        return 0;
    if ((p = rule_name(p)) == NULL)
        return -1;
    r->has_dst = 1;
    r->dst_off = r->std_off + 3600;
    if (*p != ',' && *p != '\0') {
        if ((p = rule_hms(p, 24, &v)) == NULL)
            return -1;
        r->dst_off = -v;
    }
    if (*p == '\0') { /* POSIX default: US rules */
        r->start = (struct rule_date){'M', 3, 2, 0, 7200};
        r->end = (struct rule_date){'M', 11, 1, 0, 7200};
        return 0;
    }
    if (*p != ',' || (p = rule_date(p + 1, &r->start)) == NULL)
        return -1;
    if (*p != ',' || (p = rule_date(p + 1, &r->end)) == NULL)
        return -1;
    return *p == '\0' ? 0 : -1;
}

/* Local seconds (since epoch, in the zone's wall clock) of a rule date. */
static int64_t rule_local(const struct rule_date *r, int y)
{
    int64_t day;
    if (r->kind == 'M') {
        int64_t first = vg_days_from_civil(y, r->m, 1);
        int wd0 = vg_weekday_of_days(first) % 7; /* 0 = Sunday */
        day = first + (r->d - wd0 + 7) % 7 + 7 * (r->w - 1);
        int dim = days_in_month(y, r->m);
        while (day - first >= dim)
            day -= 7;
    } else if (r->kind == 'J') {
        day = vg_days_from_civil(y, 1, 1) + r->d - 1 +
              (is_leap(y) && r->d >= 60);
    } else {
        day = vg_days_from_civil(y, 1, 1) + r->d;
    }
    return day * 86400 + r->time;
}

/* UTC instants at which DST starts and ends in year y. */
static void rule_year(const struct posix_rule *r, int y, int64_t *s, int64_t *e)
{
    *s = rule_local(&r->start, y) - r->std_off;
    *e = rule_local(&r->end, y) - r->dst_off;
}

static int year_of(int64_t t)
{
    int64_t days = t / 86400 - (t % 86400 < 0);
    int y, m, d;
    vg_civil_from_days(days, &y, &m, &d);
    return y;
}

static int32_t rule_offset(const struct posix_rule *r, int64_t t)
{
    if (!r->has_dst)
        return r->std_off;
    int64_t s, e;
    rule_year(r, year_of(t + r->std_off), &s, &e);
    int dst = s < e ? (t >= s && t < e) : !(t >= e && t < s);
    return dst ? r->dst_off : r->std_off;
}

/* ---- TZif reading ----------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_hdr {
    uint32_t isut, isstd, leap, time, type, chr;
};

static size_t tzif_header(const unsigned char *p, struct tzif_hdr *h, int tsz)
{
    h->isut = be32(p + 20);
    h->isstd = be32(p + 24);
    h->leap = be32(p + 28);
    h->time = be32(p + 32);
    h->type = be32(p + 36);
    h->chr = be32(p + 40);
    if (h->time > VG_TZ_MAX_TRANS || h->type == 0 || h->type > 256 ||
        h->chr > 4096 || h->leap > 4096 || h->isut > 256 || h->isstd > 256)
        return 0;
    return (size_t)h->time * (size_t)(tsz + 1) + (size_t)h->type * 6 + h->chr +
           (size_t)h->leap * (size_t)(tsz + 4) + h->isstd + h->isut;
}

/* Append the footer rule's transitions after the explicit ones. */
static void tz_extend(struct vg_tz *z, size_t cap)
{
    int y0 = z->n ? year_of(z->at[z->n - 1]) : 1900, y;
    if (y0 < 1900)
        y0 = 1900; /* keeps the table within cap; LMT years need no rule */
    for (y = y0; y <= VG_TZ_GEN_END && z->n + 2 <= cap; y++) {
        int64_t s, e;
        rule_year(&z->rule, y, &s, &e);
        int64_t t[2] = {s < e ? s : e, s < e ? e : s};
        int32_t o[2] = {s < e ? z->rule.dst_off : z->rule.std_off,
                        s < e ? z->rule.std_off : z->rule.dst_off};
        for (int i = 0; i < 2; i++) {
            if (z->n > 0 && t[i] <= z->at[z->n - 1])
                continue;
            z->at[z->n] = t[i];
            z->off[z->n++] = o[i];
        }
    }
    /* y is the first year not tabulated; its transitions come later than
     * 1 January (local standard time), when rule_offset takes over. */
    z->gen_end = vg_days_from_civil(y, 1, 1) * 86400 - z->rule.std_off;
}

/* Apply the footer "\nRULE\n" found at foot[0..n) (absent or empty is fine:
 * the last transition's offset then holds for ever). */
static int tz_footer(struct vg_tz *z, const unsigned char *foot, size_t n,
                     size_t cap)
{
    char rule[128];
    size_t k = 0;
    if (n == 0 || foot[0] != '\n')
        return 0;
    for (size_t i = 1; i < n && foot[i] != '\n'; i++) {
        if (k + 1 >= sizeof rule)
            return -1;
        rule[k++] = (char)foot[i];
    }
    rule[k] = '\0';
    if (k == 0)
        return 0;
    if (rule_parse(rule, &z->rule) != 0)
        return -1;
    if (z->rule.has_dst) {
        z->has_rule = 1;
        tz_extend(z, cap);
    } else if (z->n == 0) {
        z->off0 = z->rule.std_off;
    }
    return 0;
}

/* Build a zone from the bytes of a TZif file.  Returns NULL on malformed
 * input (with *why set) or on allocation failure (*why = NULL). */
static struct vg_tz *tz_from_tzif(const unsigned char *p, size_t len,
                                  const char **why)
{
    struct tzif_hdr h;
    struct vg_tz *z = NULL;
    size_t off = 0, sz;
    int tsz = 4;
    *why = "not a TZif file";
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        goto fail;
    if ((sz = tzif_header(p, &h, 4)) == 0 || 44 + sz > len)
        goto fail;
    if (p[4] >= '2') { /* skip the 32-bit block, read the 64-bit one */
        off = 44 + sz;
        tsz = 8;
        if (off + 44 > len || memcmp(p + off, "TZif", 4) != 0 ||
            (sz = tzif_header(p + off, &h, 8)) == 0 || off + 44 + sz > len)
            goto fail;
    }
    const unsigned char *tt = p + off + 44;
    const unsigned char *idx = tt + (size_t)h.time * (size_t)tsz;
    const unsigned char *types = idx + h.time;
    const unsigned char *foot = p + off + 44 + sz;
    size_t cap = h.time + 2 * (size_t)(VG_TZ_GEN_END - 1900 + 2);
    *why = NULL;
    if ((z = vg_calloc(1, sizeof *z)) == NULL ||
        (z->at = vg_calloc(cap, sizeof *z->at)) == NULL ||
        (z->off = vg_calloc(cap, sizeof *z->off)) == NULL)
        goto fail;
    *why = "bad transition table";
    z->off0 = (int32_t)be32(types);
    for (uint32_t i = 0; i < h.time; i++) {
        int64_t t = tsz == 8 ? be64(tt + 8 * (size_t)i)
                             : (int64_t)(int32_t)be32(tt + 4 * (size_t)i);
        if (idx[i] >= h.type || (z->n > 0 && t <= z->at[z->n - 1]))
            goto fail;
        z->at[z->n] = t;
        z->off[z->n++] = (int32_t)be32(types + 6 * (size_t)idx[i]);
    }
    z->gen_end = INT64_MAX;
    *why = "bad POSIX TZ footer";
    if (tsz == 8 && tz_footer(z, foot, (size_t)(p + len - foot), cap) != 0)
        goto fail;
    *why = NULL;
    return z;
fail:
    if (z) {
        vg_free(z->at);
        vg_free(z->off);
        vg_free(z);
    }
    return NULL;
}

static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= VG_TZ_NAME_MAX || name[0] == '/' || name[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                 (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '+' ||
                 c == '/' || (c == '.' && name[i - 1] != '.' && name[i - 1] != '/');
        if (!ok)
            return 0;
    }
    return 1;
}

static enum vg_err tz_load(const char *name, struct vg_tz **out,
                           struct vg_diag *d)
{
    enum vg_err rc = VG_OK;
    unsigned char *buf = NULL;
    FILE *f = NULL;
    char path[512];
    const char *dir = getenv("TZDIR");
    const char *why = NULL;
    snprintf(path, sizeof path, "%s/%s",
             dir && *dir ? dir : "/usr/share/zoneinfo", name);
    if ((f = fopen(path, "rb")) == NULL) {
        rc = vg_fail(d, VG_NOTFOUND, path, 0, 0,
                     "unknown time zone \"%s\" (expected an IANA name such as "
                     "Europe/Paris; %s)", name, strerror(errno));
        goto out;
    }
    if ((buf = vg_malloc(VG_TZ_MAX_FILE)) == NULL) {
        rc = vg_fail(d, VG_NOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    size_t len = fread(buf, 1, VG_TZ_MAX_FILE, f);
    if (len == VG_TZ_MAX_FILE) {
        rc = vg_fail(d, VG_LIMIT, path, 0, 0, "time zone file over 1 MiB");
        goto out;
    }
    if ((*out = tz_from_tzif(buf, len, &why)) == NULL) {
        rc = why ? vg_fail(d, VG_PARSE, path, 0, 0,
                           "time zone \"%s\": %s", name, why)
                 : vg_fail(d, VG_NOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    snprintf((*out)->name, sizeof (*out)->name, "%s", name);
out:
    if (f)
        fclose(f);
    vg_free(buf);
    return rc;
}

/* ---- the zone cache --------------------------------------------------- */

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vg_tz *cache_head;
static int32_t utc_off[1];
static int64_t utc_at[1];
static struct vg_tz utc_zone = {"UTC", 0, utc_at, utc_off, 0, 0, INT64_MAX,
                                {0, 0, 0, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}},
                                NULL};

const struct vg_tz *vg_tz_get(const char *name, struct vg_diag *d)
{
    struct vg_tz *z = NULL;
    if (name == NULL || strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0)
        return name ? &utc_zone : NULL;
    if (!name_ok(name)) {
        vg_fail(d, VG_NOTFOUND, "", 0, 0,
                "invalid time zone name \"%.64s\" (expected an IANA name such "
                "as Europe/Paris)", name);
        return NULL;
    }
    pthread_mutex_lock(&cache_lock);
    for (z = cache_head; z; z = z->next)
        if (strcmp(z->name, name) == 0)
            break;
    if (z == NULL && tz_load(name, &z, d) == VG_OK) {
        z->next = cache_head;
        cache_head = z;
    }
    pthread_mutex_unlock(&cache_lock);
    return z;
}

const char *vg_tz_name(const struct vg_tz *tz)
{
    return tz->name;
}

/* ---- conversions ------------------------------------------------------ */

int32_t vg_tz_offset(const struct vg_tz *tz, int64_t t)
{
    size_t n = tz->n;
    if (n == 0 || t < tz->at[0])
        return tz->off0;
    if (t >= tz->at[n - 1])
        return t >= tz->gen_end && tz->has_rule ? rule_offset(&tz->rule, t)
                                                : tz->off[n - 1];
    /* largest i with at[i] <= t; at[0] <= t < at[n-1] */
    size_t lo = 0, len = n - 1;
    while (len > 1) {
        size_t half = len / 2;
        lo = tz->at[lo + half] <= t ? lo + half : lo;
        len -= half;
    }
    return tz->off[lo];
}

static void civil_of_seconds(int64_t s, struct vg_civil *out)
{
    int64_t days = s / 86400, r = s % 86400;
    if (r < 0) {
        r += 86400;
        days -= 1;
    }
    vg_civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(r / 3600);
    out->min = (int)(r / 60 % 60);
    out->sec = (int)(r % 60);
    out->weekday = vg_weekday_of_days(days);
    out->yday = (int)(days - vg_days_from_civil(out->year, 1, 1));
}

const char *vg_utc_iso(int64_t t, char out[24])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL || strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, 24, "1970-01-01T00:00:00Z");
    return out;
}

int64_t vg_tz_day_start(const struct vg_tz *tz, int64_t day)
{
    int y, m, d;
    int64_t out = day * 86400;
    if (tz == NULL)
        return out;
    vg_civil_from_days(day, &y, &m, &d);
    if (vg_tz_from_local(tz, y, m, d, 0, 0, 0, VG_TZ_EARLIER, &out) != VG_OK)
        out = day * 86400 - vg_tz_offset(tz, day * 86400);
    return out;
}

int64_t vg_tz_local_day(const struct vg_tz *tz, int64_t t)
{
    int64_t s = t + vg_tz_offset(tz, t);
    return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

void vg_tz_to_local(const struct vg_tz *tz, int64_t t, struct vg_civil *out,
                    int32_t *offset)
{
    int32_t o = vg_tz_offset(tz, t);
    civil_of_seconds(t + o, out);
    if (offset)
        *offset = o;
}

enum vg_err vg_tz_from_local(const struct vg_tz *tz, int y, int mo, int d,
                             int h, int mi, int s, enum vg_tz_resolve how,
                             int64_t *out)
{
    if (!civil_valid(y, mo, d) || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        s < 0 || s > 59)
        return VG_RANGE;
    int64_t L = vg_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    /* Offsets in force a day before and a day after are the only
     * candidates (zones never change offset twice within two days). */
    int32_t a = vg_tz_offset(tz, L - 86400), b = vg_tz_offset(tz, L + 86400);
    int64_t ta = L - a, tb = L - b;
    int va = vg_tz_offset(tz, ta) == a, vb = vg_tz_offset(tz, tb) == b;
    if (va && vb && ta != tb) { /* overlap: the wall clock shows L twice */
        if (how == VG_TZ_STRICT)
            return VG_RANGE;
        int64_t lo = ta < tb ? ta : tb, hi = ta < tb ? tb : ta;
        *out = how == VG_TZ_LATER ? hi : lo;
    } else if (va || vb) {
        *out = va ? ta : tb;
    } else { /* gap: L never shows; move forward by the missing span */
        if (how == VG_TZ_STRICT)
            return VG_RANGE;
        *out = ta;
    }
    return VG_OK;
}

static char *put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

void vg_tz_format_iso(const struct vg_tz *tz, int64_t t, char *out,
                      unsigned cap)
{
    struct vg_civil c;
    int32_t o;
    char tmp[40], *p = tmp;
    if (cap == 0)
        return;
    vg_tz_to_local(tz, t, &c, &o);
    if (c.year >= 0 && c.year <= 9999) {
        p = put2(put2(p, c.year / 100), c.year % 100);
    } else {
        p += snprintf(p, 16, "%+d", c.year);
    }
    *p++ = '-';
    p = put2(p, c.month);
    *p++ = '-';
    p = put2(p, c.day);
    *p++ = 'T';
    p = put2(p, c.hour);
    *p++ = ':';
    p = put2(p, c.min);
    *p++ = ':';
    p = put2(p, c.sec);
    *p++ = o < 0 ? '-' : '+';
    int32_t ao = o < 0 ? -o : o;
    p = put2(p, ao / 3600);
    *p++ = ':';
    p = put2(p, ao / 60 % 60);
    if (ao % 60) { /* local mean time before 1900: keep the seconds */
        *p++ = ':';
        p = put2(p, ao % 60);
    }
    size_t n = (size_t)(p - tmp);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, tmp, n);
    out[n] = '\0';
}

/* ---- shifts and dates ------------------------------------------------- */

static int parse_hhmm(const char *p, int allow24)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' || p[2] != ':' ||
        p[3] < '0' || p[3] > '5' || p[4] < '0' || p[4] > '9')
        return -1;
    int h = (p[0] - '0') * 10 + p[1] - '0', m = (p[3] - '0') * 10 + p[4] - '0';
    if (h == 24 && m == 0 && allow24)
        return 0;
    return h <= 23 ? h * 60 + m : -1;
}

enum vg_err vg_shift_parse(const char *spec, struct vg_shift *out,
                           struct vg_diag *d)
{
    if (strcmp(spec, "night") == 0 || strcmp(spec, "nuit") == 0) {
        *out = (struct vg_shift){20 * 60, 3 * 60 + 30};
        return VG_OK;
    }
    if (strcmp(spec, "day") == 0 || strcmp(spec, "jour") == 0) {
        *out = (struct vg_shift){7 * 60, 20 * 60};
        return VG_OK;
    }
    int s = -1, e = -1;
    if (strlen(spec) == 11 && spec[5] == '-') {
        s = parse_hhmm(spec, 0);
        e = parse_hhmm(spec + 6, 1);
    }
    if (s < 0 || e < 0)
        return vg_fail(d, VG_PARSE, "", 0, 0,
                       "shift \"%.40s\" is not \"night\", \"day\" or "
                       "HH:MM-HH:MM (e.g. 22:00-06:00)", spec);
    *out = (struct vg_shift){s, e};
    return VG_OK;
}

enum vg_err vg_shift_window(const struct vg_tz *tz, const struct vg_shift *s,
                            int y, int m, int d, int64_t *start, int64_t *end)
{
    /* Both ends are the first moment the wall clock shows that time
     * (EARLIER); a time inside a spring-forward gap moves forward. */
    enum vg_err rc = vg_tz_from_local(tz, y, m, d, s->start_min / 60,
                                      s->start_min % 60, 0, VG_TZ_EARLIER, start);
    if (rc != VG_OK)
        return rc;
    int ey = y, em = m, ed = d;
    if (s->end_min <= s->start_min)
        vg_civil_from_days(vg_days_from_civil(y, m, d) + 1, &ey, &em, &ed);
    return vg_tz_from_local(tz, ey, em, ed, s->end_min / 60, s->end_min % 60, 0,
                            VG_TZ_EARLIER, end);
}

enum vg_err vg_parse_date(const char *s, int *y, int *m, int *d)
{
    static const char shape[] = "dddd-dd-dd";
    for (int i = 0; i < 10; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if (shape[i] == 'd' ? !digit : s[i] != '-')
            return VG_PARSE;
    }
    if (s[10] != '\0')
        return VG_PARSE;
    int yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
             (s[3] - '0');
    int mm = (s[5] - '0') * 10 + (s[6] - '0');
    int dd = (s[8] - '0') * 10 + (s[9] - '0');
    if (!civil_valid(yy, mm, dd))
        return VG_RANGE;
    *y = yy;
    *m = mm;
    *d = dd;
    return VG_OK;
}

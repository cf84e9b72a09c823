/*
 * tz.c — civil dates, IANA zones from the system tz database, shifts.
 *
 * A zone is read once from /usr/share/zoneinfo/NAME (TZif v2+, 64-bit
 * section).  The POSIX rule in the file's footer (e.g.
 * "CET-1CEST,M3.5.0,M10.5.0/3") is expanded at load into explicit
 * transitions up to the year 2200, so every lookup is one binary search over
 * a sorted array, whatever the year and whether the file is "fat" or "slim".
 * Loaded zones are immutable, cached for the process lifetime behind a
 * mutex, and safe to share between threads.
 */
#include "base/tz.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

#define MAX_ZONES 32
#define LAST_YEAR 2200
#define MAX_FILE (1 << 20)

struct vg_tz {
    char name[64];
    size_t n;         /* transitions */
    int64_t *at;      /* transition instants, ascending */
    int32_t *off;     /* offset in force from at[i] */
    int32_t off0;     /* offset before the first transition */
};

/* ---- civil calendar (proleptic Gregorian; H. Hinnant's algorithms) ---- */

int64_t vg_days_from_civil(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void vg_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int vg_weekday_of_days(int64_t days)
{
    /* 1970-01-01 was a Thursday (4) */
    int64_t w = (days + 3) % 7;
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

void vg_iso_week(int64_t days, int *iso_year, int *week)
{
    int wd = vg_weekday_of_days(days);
    int64_t thursday = days + (4 - wd);
    int y, m, d;
    vg_civil_from_days(thursday, &y, &m, &d);
    *iso_year = y;
    *week = (int)((thursday - vg_days_from_civil(y, 1, 1)) / 7 + 1);
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

enum vg_err vg_parse_date(const char *s, int *y, int *m, int *d)
{
    int v[3] = {0, 0, 0};
    const int len[3] = {4, 2, 2};
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < len[k]; i++, s++) {
            if (*s < '0' || *s > '9')
                return VG_PARSE;
            v[k] = v[k] * 10 + (*s - '0');
        }
        if (k < 2 && *s++ != '-')
            return VG_PARSE;
    }
    if (*s || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]))
        return VG_PARSE;
    *y = v[0];
    *m = v[1];
    *d = v[2];
    return VG_OK;
}

/* ---- POSIX TZ rules (the TZif footer) ---- */

struct rule_date {
    char kind; /* 'M' month/week/day, 'J' julian 1..365 no leap, 'N' 0..365 */
    int m, w, d, n;
    int32_t time; /* seconds after local midnight, may be <0 or >24h */
};

struct posix_rule {
    int32_t std, dst; /* offsets east of UTC */
    int has_dst;
    struct rule_date start, end;
};

static const char *p_name(const char *s)
{
    if (*s == '<') {
        const char *e = strchr(s, '>');
        return e ? e + 1 : NULL;
    }
    const char *b = s;
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
        s++;
    return s - b >= 3 ? s : NULL;
}

/* [+-]hh[:mm[:ss]] → seconds */
static const char *p_time(const char *s, int32_t *out)
{
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    int32_t v = 0, part = 0;
    int k = 0;
    for (;;) {
        if (*s < '0' || *s > '9')
            return NULL;
        part = 0;
        while (*s >= '0' && *s <= '9')
            part = part * 10 + (*s++ - '0');
        v += part * (k == 0 ? 3600 : k == 1 ? 60 : 1);
        if (*s != ':' || ++k > 2)
            break;
        s++;
    }
    *out = sign * v;
    return s;
}

static const char *p_date(const char *s, struct rule_date *r)
{
    r->time = 7200;
    if (*s == 'M') {
        r->kind = 'M';
        char *e;
        r->m = (int)strtol(s + 1, &e, 10);
        if (*e != '.')
            return NULL;
        r->w = (int)strtol(e + 1, &e, 10);
        if (*e != '.')
            return NULL;
        r->d = (int)strtol(e + 1, &e, 10);
        s = e;
        if (r->m < 1 || r->m > 12 || r->w < 1 || r->w > 5 || r->d < 0 || r->d > 6)
            return NULL;
    } else {
        r->kind = *s == 'J' ? 'J' : 'N';
        if (*s == 'J')
            s++;
        char *e;
        r->n = (int)strtol(s, &e, 10);
        if (e == s)
            return NULL;
        s = e;
    }
    if (*s == '/')
        s = p_time(s + 1, &r->time);
    return s;
}

static int parse_posix(const char *s, struct posix_rule *r)
{
    memset(r, 0, sizeof *r);
    int32_t v;
    if ((s = p_name(s)) == NULL || (s = p_time(s, &v)) == NULL)
        return 0;
    r->std = -v;
    if (*s == '\0')
        return 1;
    if ((s = p_name(s)) == NULL)
        return 0;
    r->has_dst = 1;
    r->dst = r->std + 3600;
    if (*s && *s != ',') {
        if ((s = p_time(s, &v)) == NULL)
            return 0;
        r->dst = -v;
    }
    if (*s != ',') /* no rule given: US default is obsolete; treat as none */
        return r->has_dst = 0, 1;
    if ((s = p_date(s + 1, &r->start)) == NULL || *s != ',')
        return 0;
    if ((s = p_date(s + 1, &r->end)) == NULL)
        return 0;
    return *s == '\0';
}

/* Local day number of a rule date in year y. */
static int64_t rule_day(int y, const struct rule_date *r)
{
    if (r->kind == 'M') {
        int64_t first = vg_days_from_civil(y, r->m, 1);
        int wd0 = vg_weekday_of_days(first) % 7; /* 0 = Sunday */
        int64_t day = first + (r->d - wd0 + 7) % 7 + 7 * (r->w - 1);
        while (r->w == 5 && day >= first + days_in_month(y, r->m))
            day -= 7;
        if (r->w < 5)
            return day;
        return day;
    }
    int64_t jan1 = vg_days_from_civil(y, 1, 1);
    if (r->kind == 'N')
        return jan1 + r->n;
    int leap = days_in_month(y, 2) == 29;
    return jan1 + r->n - 1 + (leap && r->n >= 60);
}

/* ---- TZif reading ---- */

static int64_t be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    if (n == 4)
        return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

static enum vg_err add_tr(struct vg_tz *z, size_t *cap, int64_t at, int32_t off)
{
    if (z->n && at <= z->at[z->n - 1])
        return VG_OK;
    if (z->n && z->off[z->n - 1] == off)
        return VG_OK; /* no change */
    if (z->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        int64_t *a = vg_reallocarray(z->at, *cap, sizeof *a);
        if (a == NULL)
            return VG_NOMEM;
        z->at = a;
        int32_t *o = vg_reallocarray(z->off, *cap, sizeof *o);
        if (o == NULL)
            return VG_NOMEM;
        z->off = o;
    }
    z->at[z->n] = at;
    z->off[z->n++] = off;
    return VG_OK;
}

static enum vg_err parse_tzif(struct vg_tz *z, const unsigned char *b, size_t len)
{
    if (len < 44 || memcmp(b, "TZif", 4) != 0)
        return VG_PARSE;
    int ver = b[4];
    size_t cnt[6];
    for (int i = 0; i < 6; i++)
        cnt[i] = (size_t)be(b + 20 + 4 * i, 4);
    /* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
    size_t v1 = cnt[3] * 5 + cnt[4] * 6 + cnt[5] + cnt[2] * 8 + cnt[1] + cnt[0];
    const unsigned char *p = b + 44;
    int tsize = 4;
    if (ver >= '2') {
        if (44 + v1 + 44 > len)
            return VG_PARSE;
        p = b + 44 + v1;
        if (memcmp(p, "TZif", 4) != 0)
            return VG_PARSE;
        for (int i = 0; i < 6; i++)
            cnt[i] = (size_t)be(p + 20 + 4 * i, 4);
        p += 44;
        tsize = 8;
    }
    size_t need = cnt[3] * (size_t)(tsize + 1) + cnt[4] * 6 + cnt[5] +
                  cnt[2] * (size_t)(tsize + 4) + cnt[1] + cnt[0];
    if ((size_t)(p - b) + need > len || cnt[4] == 0 || cnt[4] > 256)
        return VG_PARSE;
    const unsigned char *times = p, *idx = p + cnt[3] * (size_t)tsize;
    const unsigned char *types = idx + cnt[3];
    int32_t type_off[256];
    int type_dst[256];
    for (size_t i = 0; i < cnt[4]; i++) {
        type_off[i] = (int32_t)be(types + 6 * i, 4);
        type_dst[i] = types[6 * i + 4];
    }
    /* offset before the first transition: the first non-DST type */
    z->off0 = type_off[0];
    for (size_t i = 0; i < cnt[4]; i++)
        if (!type_dst[i]) {
            z->off0 = type_off[i];
            break;
        }
    size_t cap = 0;
    enum vg_err e = VG_OK;
    int32_t prev = z->off0;
    for (size_t i = 0; i < cnt[3] && e == VG_OK; i++) {
        if (idx[i] >= cnt[4])
            return VG_PARSE;
        int64_t at = be(times + (size_t)tsize * i, tsize);
        int32_t off = type_off[idx[i]];
        if (off != prev || z->n == 0)
            e = add_tr(z, &cap, at, off);
        prev = off;
    }
    if (e)
        return e;
    /* footer rule */
    const unsigned char *f = p + need;
    struct posix_rule r;
    if (ver >= '2' && f < b + len && *f == '\n') {
        const unsigned char *nl = memchr(f + 1, '\n', (size_t)(b + len - f - 1));
        char txt[128];
        size_t n = nl ? (size_t)(nl - f - 1) : 0;
        if (nl && n < sizeof txt) {
            memcpy(txt, f + 1, n);
            txt[n] = '\0';
            if (n && parse_posix(txt, &r)) {
                int y0 = 1970, dummy_m, dummy_d;
                if (z->n)
                    vg_civil_from_days(z->at[z->n - 1] / 86400, &y0, &dummy_m, &dummy_d);
                if (!r.has_dst) {
                    if (z->n == 0 || z->off[z->n - 1] != r.std)
                        e = add_tr(z, &cap, z->n ? z->at[z->n - 1] + 1 : INT64_MIN / 2, r.std);
                    if (z->n == 0)
                        z->off0 = r.std;
                }
                for (int y = y0; r.has_dst && y <= LAST_YEAR && e == VG_OK; y++) {
                    int64_t s = rule_day(y, &r.start) * 86400 + r.start.time - r.std;
                    int64_t t = rule_day(y, &r.end) * 86400 + r.end.time - r.dst;
                    if (s < t) {
                        e = add_tr(z, &cap, s, r.dst);
                        if (e == VG_OK)
                            e = add_tr(z, &cap, t, r.std);
                    } else {
                        e = add_tr(z, &cap, t, r.std);
                        if (e == VG_OK)
                            e = add_tr(z, &cap, s, r.dst);
                    }
                }
            }
        }
    }
    return e;
}

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vg_tz *cache[MAX_ZONES];
static size_t ncache;

static struct vg_tz utc_zone = {"UTC", 0, NULL, NULL, 0};

static int valid_name(const char *s)
{
    if (!*s || *s == '/' || strstr(s, "..") || strlen(s) >= 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              (*s >= '0' && *s <= '9') || *s == '/' || *s == '_' || *s == '-' || *s == '+'))
            return 0;
    return 1;
}

const struct vg_tz *vg_tz_get(const char *name, struct vg_diag *d)
{
    if (!strcmp(name, "UTC") || !strcmp(name, "Etc/UTC") || !strcmp(name, "Z"))
        return &utc_zone;
    if (!valid_name(name)) {
        vg_fail(d, VG_PARSE, "", 0, 0, "time zone \"%s\" is not an IANA name like Europe/Paris", name);
        return NULL;
    }
    pthread_mutex_lock(&cache_lock);
    struct vg_tz *z = NULL;
    for (size_t i = 0; i < ncache; i++)
        if (!strcmp(cache[i]->name, name))
            z = cache[i];
    if (z || ncache == MAX_ZONES) {
        pthread_mutex_unlock(&cache_lock);
        if (z == NULL)
            vg_fail(d, VG_LIMIT, "", 0, 0, "too many time zones in use");
        return z;
    }
    const char *root = getenv("TZDIR");
    char path[320];
    snprintf(path, sizeof path, "%s/%s", root && *root ? root : "/usr/share/zoneinfo", name);
    FILE *f = fopen(path, "rb");
    unsigned char *buf = vg_malloc(MAX_FILE);
    size_t len = 0;
    if (f && buf)
        len = fread(buf, 1, MAX_FILE, f);
    if (f)
        fclose(f);
    z = vg_calloc(1, sizeof *z);
    enum vg_err e = f == NULL ? VG_NOTFOUND : (buf && z) ? VG_OK : VG_NOMEM;
    if (e == VG_OK) {
        snprintf(z->name, sizeof z->name, "%s", name);
        e = parse_tzif(z, buf, len);
    }
    vg_free(buf);
    if (e) {
        if (z) {
            vg_free(z->at);
            vg_free(z->off);
            vg_free(z);
        }
        z = NULL;
        vg_fail(d, e, path, 0, 0, "time zone \"%s\" %s", name,
                e == VG_NOTFOUND ? "is unknown (not in the tz database; is tzdata installed?)"
                                 : "could not be read");
    } else {
        cache[ncache++] = z;
    }
    pthread_mutex_unlock(&cache_lock);
    return z;
}

const char *vg_tz_name(const struct vg_tz *tz) { return tz->name; }

int32_t vg_tz_offset(const struct vg_tz *tz, int64_t t)
{
    size_t lo = 0, hi = tz->n;
    while (lo < hi) { /* first transition after t */
        size_t mid = lo + (hi - lo) / 2;
        if (tz->at[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? tz->off[lo - 1] : tz->off0;
}

void vg_tz_to_local(const struct vg_tz *tz, int64_t t, struct vg_civil *c,
                    int32_t *offset)
{
    int32_t off = vg_tz_offset(tz, t);
    int64_t l = t + off;
    int64_t days = l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
    int64_t sec = l - days * 86400;
    vg_civil_from_days(days, &c->year, &c->month, &c->day);
    c->hour = (int)(sec / 3600);
    c->min = (int)(sec / 60 % 60);
    c->sec = (int)(sec % 60);
    c->weekday = vg_weekday_of_days(days);
    c->yday = (int)(days - vg_days_from_civil(c->year, 1, 1));
    if (offset)
        *offset = off;
}

enum vg_err vg_tz_from_local(const struct vg_tz *tz, int y, int mo, int d,
                             int h, int mi, int s, enum vg_tz_resolve how,
                             int64_t *out)
{
    int64_t l = vg_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    int32_t a = vg_tz_offset(tz, l - 86400), b = vg_tz_offset(tz, l + 86400);
    int64_t ta = l - a, tb = l - b;
    int va = vg_tz_offset(tz, ta) == a, vb = vg_tz_offset(tz, tb) == b;
    if (va && vb && ta != tb) { /* overlap: the wall clock shows it twice */
        if (how == VG_TZ_STRICT)
            return VG_RANGE;
        *out = how == VG_TZ_LATER ? (ta > tb ? ta : tb) : (ta < tb ? ta : tb);
        return VG_OK;
    }
    if (va || vb) {
        *out = va ? ta : tb;
        return VG_OK;
    }
    if (how == VG_TZ_STRICT) /* gap: this wall-clock time never happened */
        return VG_RANGE;
    *out = ta;
    return VG_OK;
}

void vg_tz_format_iso(const struct vg_tz *tz, int64_t t, char *out, unsigned cap)
{
    struct vg_civil c;
    int32_t off;
    vg_tz_to_local(tz, t, &c, &off);
    int32_t a = off < 0 ? -off : off;
    snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.year, c.month, c.day,
             c.hour, c.min, c.sec, off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

/* ---- shifts ---- */

static int hhmm(const char *s, const char **end)
{
    if (s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' || s[2] != ':' ||
        s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    if (h > 24)
        return -1;
    *end = s + 5;
    int v = h * 60 + (s[3] - '0') * 10 + (s[4] - '0');
    return v <= 24 * 60 ? v : -1;
}

enum vg_err vg_shift_parse(const char *spec, struct vg_shift *out,
                           struct vg_diag *d)
{
    if (!strcmp(spec, "night") || !strcmp(spec, "nuit")) {
        *out = (struct vg_shift){20 * 60, 3 * 60 + 30};
        return VG_OK;
    }
    if (!strcmp(spec, "day") || !strcmp(spec, "jour")) {
        *out = (struct vg_shift){7 * 60, 20 * 60};
        return VG_OK;
    }
    const char *p;
    int a = hhmm(spec, &p), b = -1;
    if (a >= 0 && *p == '-')
        b = hhmm(p + 1, &p);
    if (a < 0 || b < 0 || *p || a == 24 * 60 || a == b)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "shift \"%s\" must be night (20:00-03:30), day (07:00-20:00) or HH:MM-HH:MM", spec);
    *out = (struct vg_shift){a, b};
    return VG_OK;
}

enum vg_err vg_shift_window(const struct vg_tz *tz, const struct vg_shift *s,
                            int y, int m, int d, int64_t *start, int64_t *end)
{
    int64_t day = vg_days_from_civil(y, m, d);
    int64_t eday = s->end_min <= s->start_min ? day + 1 : day;
    int ey, em, ed;
    int emin = s->end_min;
    if (emin == 24 * 60) {
        eday = day + 1;
        emin = 0;
    }
    vg_civil_from_days(eday, &ey, &em, &ed);
    enum vg_err e = vg_tz_from_local(tz, y, m, d, s->start_min / 60, s->start_min % 60, 0,
                                     VG_TZ_EARLIER, start);
    if (e == VG_OK)
        e = vg_tz_from_local(tz, ey, em, ed, emin / 60, emin % 60, 0, VG_TZ_LATER, end);
    return e;
}

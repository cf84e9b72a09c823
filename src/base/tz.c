/*
 * tz.c — TEMPORARY minimal stand-in written on the `model` branch so the
 * model tests link before branch `tz` lands.  Knows "UTC", "Europe/Paris"
 * (EU rule since 1996) and "America/Chicago" (US rule since 2007) only.
 * To be deleted before merging branch `tz`.
 */
#include "base/tz.h"

#include <stdio.h>
#include <string.h>

struct vg_tz {
    const char *name;
    int32_t std;
    int rule; /* 0 none, 1 EU, 2 US */
};

static const struct vg_tz zones[] = {
    {"UTC", 0, 0}, {"Europe/Paris", 3600, 1}, {"America/Chicago", -6 * 3600, 2}};

int64_t vg_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
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
    int64_t w = (days + 3) % 7; /* 1970-01-01 was a Thursday */
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

const struct vg_tz *vg_tz_get(const char *name, struct vg_diag *d)
{
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (strcmp(zones[i].name, name) == 0)
            return &zones[i];
    vg_fail(d, VG_NOTFOUND, "", 0, 0, "unknown zone \"%s\"", name);
    return NULL;
}

const char *vg_tz_name(const struct vg_tz *tz)
{
    return tz->name;
}

/* day number of the last Sunday of month m / n-th Sunday */
static int64_t last_sunday(int y, int m)
{
    int64_t d = vg_days_from_civil(y, m + 1, 1) - 1;
    return d - (vg_weekday_of_days(d) % 7);
}

static int64_t nth_sunday(int y, int m, int n)
{
    int64_t d = vg_days_from_civil(y, m, 1);
    d += (7 - vg_weekday_of_days(d)) % 7;
    return d + 7 * (n - 1);
}

int32_t vg_tz_offset(const struct vg_tz *tz, int64_t t)
{
    if (tz->rule == 0)
        return tz->std;
    int y, m, d;
    vg_civil_from_days((t + tz->std) / 86400 - ((t + tz->std) % 86400 < 0), &y, &m, &d);
    int64_t a, b;
    if (tz->rule == 1) {
        a = last_sunday(y, 3) * 86400 + 3600;
        b = last_sunday(y, 10) * 86400 + 3600;
    } else {
        a = nth_sunday(y, 3, 2) * 86400 + 2 * 3600 - tz->std;
        b = nth_sunday(y, 11, 1) * 86400 + 2 * 3600 - tz->std - 3600;
    }
    return (t >= a && t < b) ? tz->std + 3600 : tz->std;
}

void vg_tz_to_local(const struct vg_tz *tz, int64_t t, struct vg_civil *c,
                    int32_t *offset)
{
    int32_t off = vg_tz_offset(tz, t);
    int64_t l = t + off, days = l / 86400, s = l % 86400;
    if (s < 0) {
        s += 86400;
        days--;
    }
    vg_civil_from_days(days, &c->year, &c->month, &c->day);
    c->hour = (int)(s / 3600);
    c->min = (int)(s / 60 % 60);
    c->sec = (int)(s % 60);
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
    int64_t t = l - vg_tz_offset(tz, l - tz->std);
    (void)how;
    *out = t;
    return VG_OK;
}

enum vg_err vg_parse_date(const char *s, int *y, int *m, int *d)
{
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", y, m, d, &tail) != 3 || *m < 1 || *m > 12 ||
        *d < 1 || *d > 31)
        return VG_PARSE;
    return VG_OK;
}

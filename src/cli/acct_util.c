/*
 * acct_util.c — date parsing and the acting user for the accountability
 * commands (see acct.h).  No heap, no global state.
 */
#include "cli/acct.h"

#include "base/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum vg_err vg_acct_when(const char *opt, const char *s, int end, const struct vg_tz *tz,
                         int64_t *out, struct vg_diag *d)
{
    int y = 0, mo = 0, da = 0, h = 0, mi = 0, se = 0, n = 0, k, utc = 0;
    size_t len = strlen(s);
    k = sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &da, &n);
    int date_only = k == 3 && (size_t)n == len;
    if (!date_only) {
        n = 0;
        k = sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &da, &h, &mi, &n);
        if (k == 5 && s[n] == ':') {
            int m2 = 0;
            if (sscanf(s + n, ":%2d%n", &se, &m2) == 1)
                n += m2;
        }
        if (k == 5 && s[n] == 'Z')
            n++, utc = 1;
    }
    if ((!date_only && (k != 5 || (size_t)n != len)) || mo < 1 || mo > 12 || da < 1 ||
        da > 31 || h > 23 || mi > 59 || se > 59)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "--%s \"%s\": expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (local time "
                       "of %s), or with a final Z (UTC)", opt, s, tz ? vg_tz_name(tz) : "UTC");
    if (tz == NULL || utc) {
        struct tm tm = {0};
        tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = da;
        tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = se;
        *out = (int64_t)timegm(&tm) + (date_only && end ? 86400 : 0);
        return VG_OK;
    }
    if (date_only && end) { /* the start of the next local day */
        int64_t next = vg_days_from_civil(y, mo, da) + 1;
        vg_civil_from_days(next, &y, &mo, &da);
    }
    /* a day starts at its first instant (midnight, or the end of a gap at
     * midnight); a given clock time must name one instant */
    enum vg_err e = vg_tz_from_local(tz, y, mo, da, h, mi, se,
                                     date_only ? VG_TZ_EARLIER : VG_TZ_STRICT, out);
    if (e)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "--%s \"%s\": this local time %s in %s (daylight saving change); "
                       "give it in UTC with a final Z", opt, s,
                       e == VG_RANGE ? "does not exist or is ambiguous" : "is invalid",
                       vg_tz_name(tz));
    return VG_OK;
}

const char *vg_acct_day(const struct vg_tz *tz, int64_t t, char out[32])
{
    struct vg_civil c;
    int32_t off;
    if (tz == NULL)
        return vg_acct_iso(t, out);
    vg_tz_to_local(tz, t, &c, &off);
    snprintf(out, 32, "%04d-%02d-%02d", c.year, c.month, c.day);
    return out;
}

enum vg_err vg_acct_when_opt(const struct vg_args *a, const char *opt, int end,
                             int64_t def, const struct vg_tz *tz, int64_t *out,
                             struct vg_diag *d)
{
    const char *v = vg_args_get(a, opt, NULL);
    if (v == NULL) {
        *out = def;
        return VG_OK;
    }
    return vg_acct_when(opt, v, end, tz, out, d);
}

const char *vg_acct_iso(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
}

const char *vg_acct_user(const struct vg_args *a)
{
    const char *u = vg_args_get(a, "user", NULL);
    if (u == NULL || !*u)
        u = getenv("USER");
    return u && *u ? u : "cli";
}

/*
 * acct_util.c — date parsing and the acting user for the accountability
 * commands (see acct.h).  No heap, no global state.
 */
#include "cli/acct.h"

#include "base/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (date_only) { /* the day's first instant (of the next day's for `end`) */
        *out = vg_tz_day_start(tz, vg_days_from_civil(y, mo, da) + (end ? 1 : 0));
        return VG_OK;
    }
    if (tz == NULL || utc) {
        *out = vg_days_from_civil(y, mo, da) * 86400 + h * 3600 + mi * 60 + se;
        return VG_OK;
    }
    /* a given clock time must name one instant */
    enum vg_err e = vg_tz_from_local(tz, y, mo, da, h, mi, se, VG_TZ_STRICT, out);
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
    return vg_utc_iso(t, out);
}

const char *vg_acct_user(const struct vg_args *a)
{
    const char *u = vg_args_get(a, "user", NULL);
    if (u == NULL || !*u)
        u = getenv("USER");
    return u && *u ? u : "cli";
}

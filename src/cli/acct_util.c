/*
 * acct_util.c — date parsing and the acting user for the accountability
 * commands (see acct.h).  No heap, no global state.
 */
#include "cli/acct.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum vg_err vg_acct_when(const char *opt, const char *s, int end, int64_t *out,
                         struct vg_diag *d)
{
    int y = 0, mo = 0, da = 0, h = 0, mi = 0, se = 0, n = 0, k;
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
            n++;
    }
    if ((!date_only && (k != 5 || (size_t)n != len)) || mo < 1 || mo > 12 || da < 1 ||
        da > 31 || h > 23 || mi > 59 || se > 59)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "--%s \"%s\": expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z (UTC)", opt,
                       s);
    struct tm tm = {0};
    tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = da;
    tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = se;
    *out = (int64_t)timegm(&tm) + (date_only && end ? 86400 : 0);
    return VG_OK;
}

enum vg_err vg_acct_when_opt(const struct vg_args *a, const char *opt, int end,
                             int64_t def, int64_t *out, struct vg_diag *d)
{
    const char *v = vg_args_get(a, opt, NULL);
    if (v == NULL) {
        *out = def;
        return VG_OK;
    }
    return vg_acct_when(opt, v, end, out, d);
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

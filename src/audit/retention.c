/*
 * retention.c — retention periods and legal holds (see retention.h).
 *
 * Invariant: vg_ret_decide reads only its arguments (no clock, no global
 * state), so a verdict can be reproduced for any instant.  Arithmetic on
 * instants saturates instead of overflowing.  No heap.
 */
#include "audit/retention.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const type_names[VG_RET_NTYPES] = {
    "logbook", "partner", "incident", "forecast", "audit"};

const char *vg_ret_type_name(int type)
{
    if (type == VG_RET_ANY)
        return "any";
    return type >= 0 && type < VG_RET_NTYPES ? type_names[type] : "?";
}

int vg_ret_type_of(const char *name, size_t len)
{
    if (len == 3 && memcmp(name, "any", 3) == 0)
        return VG_RET_ANY;
    for (int i = 0; i < VG_RET_NTYPES; i++)
        if (strlen(type_names[i]) == len && memcmp(name, type_names[i], len) == 0)
            return i;
    return -2;
}

void vg_ret_policy_default(struct vg_ret_policy *p)
{
    static const int32_t def[VG_RET_NTYPES] = {1825, 365, 1095, 365, 1095};
    memcpy(p->days, def, sizeof def);
}

enum vg_err vg_ret_policy_parse(const char *text, struct vg_ret_policy *p,
                                struct vg_diag *d)
{
    int seen[VG_RET_NTYPES] = {0};
    size_t col = 1;
    for (const char *s = text; s && *s;) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        const char *eq = memchr(s, '=', len);
        int t = eq ? vg_ret_type_of(s, (size_t)(eq - s)) : -2;
        if (t < 0)
            return vg_fail(d, VG_PARSE, "retention policy", 1, col,
                           "\"%.*s\": expected TYPE=DAYS with TYPE one of "
                           "logbook, partner, incident, forecast, audit",
                           (int)len, s);
        if (seen[t]++)
            return vg_fail(d, VG_PARSE, "retention policy", 1, col,
                           "type \"%s\" given twice", type_names[t]);
        char num[16] = {0};
        size_t nl = len - (size_t)(eq + 1 - s);
        if (nl == 7 && memcmp(eq + 1, "forever", 7) == 0) {
            p->days[t] = VG_RET_FOREVER;
        } else {
            char *stop = NULL;
            memcpy(num, eq + 1, nl < sizeof num - 1 ? nl : sizeof num - 1);
            errno = 0;
            long v = strtol(num, &stop, 10);
            if (nl == 0 || nl >= sizeof num || *stop || errno || v < 0 ||
                v > 36500)
                return vg_fail(d, VG_PARSE, "retention policy", 1, col,
                               "%s=\"%.*s\": expected a whole number of days "
                               "0..36500 or \"forever\"", type_names[t],
                               (int)nl, eq + 1);
            p->days[t] = (int32_t)v;
        }
        col += len + 1;
        s = end ? end + 1 : s + len;
    }
    return VG_OK;
}

/* "YYYY-MM-DD" → UTC instant of its start (or of the next day). */
static int parse_day(const char *s, size_t len, int next, int64_t *out)
{
    int y, m, dd, n = 0;
    char tmp[16];
    if (len != 10)
        return -1;
    memcpy(tmp, s, 10);
    tmp[10] = '\0';
    if (sscanf(tmp, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 || n != 10 ||
        m < 1 || m > 12 || dd < 1 || dd > 31)
        return -1;
    struct tm tm = {0};
    tm.tm_year = y - 1900, tm.tm_mon = m - 1, tm.tm_mday = dd;
    *out = (int64_t)timegm(&tm) + (next ? 86400 : 0);
    return 0;
}

static enum vg_err hold_item(struct vg_ret_hold *h, const char *k, size_t kl,
                             const char *v, size_t vl, size_t col,
                             struct vg_diag *d)
{
#define KEY(lit) (kl == sizeof(lit) - 1 && memcmp(k, lit, kl) == 0)
    int bad = 0;
    if (KEY("procedure") || KEY("area")) {
        char *dst = KEY("area") ? h->area : h->procedure;
        bad = vl >= 64;
        if (!bad)
            memcpy(dst, v, vl), dst[vl] = '\0';
    } else if (KEY("type")) {
        h->type = vg_ret_type_of(v, vl);
        bad = h->type == -2;
    } else if (KEY("from") || KEY("placed")) {
        bad = parse_day(v, vl, 0, KEY("from") ? &h->from : &h->placed);
    } else if (KEY("to") || KEY("lifted")) {
        bad = parse_day(v, vl, 1, KEY("to") ? &h->to : &h->lifted);
    } else {
        return vg_fail(d, VG_PARSE, "legal hold", 1, col,
                       "unknown key \"%.*s\" (expected procedure, type, from, "
                       "to, area, placed, lifted)", (int)kl, k);
    }
#undef KEY
    if (bad)
        return vg_fail(d, VG_PARSE, "legal hold", 1, col,
                       "%.*s=\"%.*s\": expected %s", (int)kl, k, (int)vl, v,
                       kl == 4 && memcmp(k, "type", 4) == 0
                           ? "logbook, partner, incident, forecast, audit or any"
                           : "YYYY-MM-DD, or text under 64 bytes");
    return VG_OK;
}

enum vg_err vg_ret_hold_parse(const char *text, struct vg_ret_hold *h,
                              struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    size_t col = 1;
    memset(h, 0, sizeof *h);
    h->type = VG_RET_ANY;
    for (const char *s = text; e == VG_OK && s && *s;) {
        const char *end = strchr(s, ';');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        const char *eq = memchr(s, '=', len);
        if (eq == NULL)
            return vg_fail(d, VG_PARSE, "legal hold", 1, col,
                           "\"%.*s\": expected KEY=VALUE", (int)len, s);
        e = hold_item(h, s, (size_t)(eq - s), eq + 1, len - (size_t)(eq + 1 - s),
                      col, d);
        col += len + 1;
        s = end ? end + 1 : s + len;
    }
    if (e == VG_OK && h->procedure[0] == '\0')
        e = vg_fail(d, VG_PARSE, "legal hold", 1, 0,
                    "a legal hold needs procedure=NUMBER");
    if (e == VG_OK && h->to != 0 && h->to <= h->from)
        e = vg_fail(d, VG_PARSE, "legal hold", 1, 0,
                    "hold %s: \"to\" is not after \"from\"", h->procedure);
    return e;
}

static int covers(const struct vg_ret_hold *h, int type, int64_t t,
                  const char *area, int64_t now)
{
    int in_force = h->placed <= now && (h->lifted == 0 || now < h->lifted);
    int type_ok = h->type == VG_RET_ANY || h->type == type;
    int time_ok = h->from <= t && (h->to == 0 || t < h->to);
    int area_ok = h->area[0] == '\0' || area == NULL || area[0] == '\0' ||
                  strcmp(h->area, area) == 0;
    return in_force && type_ok && time_ok && area_ok;
}

enum vg_err vg_ret_decide(const struct vg_ret_policy *p,
                          const struct vg_ret_hold *holds, size_t nholds,
                          int type, int64_t t, const char *area, int64_t now,
                          struct vg_ret_decision *out)
{
    out->verdict = VG_RET_KEEP;
    out->purge_at = INT64_MAX;
    out->hold = -1;
    if (type < 0 || type >= VG_RET_NTYPES || p->days[type] < VG_RET_FOREVER)
        return VG_RANGE;
    for (size_t i = 0; i < nholds && out->hold < 0; i++)
        if (covers(&holds[i], type, t, area, now))
            out->hold = (int)i;
    if (p->days[type] == VG_RET_FOREVER)
        return VG_OK;
    int64_t keep = (int64_t)p->days[type] * 86400;
    out->purge_at = t > INT64_MAX - keep ? INT64_MAX : t + keep;
    if (now >= out->purge_at)
        out->verdict = out->hold >= 0 ? VG_RET_HELD : VG_RET_PURGE;
    return VG_OK;
}

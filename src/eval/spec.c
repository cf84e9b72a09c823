/*
 * spec.c — parser for "name:k=v:k=v,name2,..." model lists (see spec.h).
 *
 * The input is copied into a bounded stack buffer and cut in place; no
 * heap besides the growing output array.  Parameter values go through
 * strtod and must be finite and inside the model's declared range.
 */
#include "eval/spec.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

static enum vg_err apply_setting(struct vg_spec_model *m, char *kv,
                                 int *set, struct vg_diag *d)
{
    const struct vg_model_ops *ops = m->ops;
    char *eq = strchr(kv, '=');
    if (eq == NULL || eq == kv || eq[1] == '\0')
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "model \"%s\": setting \"%s\" is not name=value",
                       ops->name, kv);
    *eq = '\0';
    const char *val = eq + 1;
    size_t p = 0;
    while (p < ops->nparams && strcmp(ops->params[p].name, kv) != 0)
        p++;
    if (p == ops->nparams) {
        char known[200] = "";
        size_t len = 0;
        for (size_t i = 0; i < ops->nparams && len < sizeof known; i++)
            len += (size_t)snprintf(known + len, sizeof known - len, "%s%s",
                                    i ? ", " : "", ops->params[i].name);
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "model \"%s\" has no parameter \"%s\" (it has: %s)",
                       ops->name, kv, ops->nparams ? known : "none");
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(val, &end);
    if (errno != 0 || end == val || *end != '\0' || !isfinite(v))
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "model \"%s\": %s=\"%s\" is not a number", ops->name,
                       kv, val);
    const struct vg_param_def *pd = &ops->params[p];
    if (v < pd->min || v > pd->max)
        return vg_fail(d, VG_RANGE, "", 0, 0,
                       "model \"%s\": %s=%g is outside [%g, %g] (%s)",
                       ops->name, kv, v, pd->min, pd->max,
                       pd->help ? pd->help : "");
    m->params[p] = v;
    set[p] = 1;
    return VG_OK;
}

/* Canonical name: the model name then every explicitly set parameter in
 * the model's declaration order, "%g" formatted. */
static void canonical_name(struct vg_spec_model *m, const int *set)
{
    size_t len = (size_t)snprintf(m->name, sizeof m->name, "%s", m->ops->name);
    for (size_t p = 0; p < m->ops->nparams && len < sizeof m->name; p++)
        if (set[p])
            len += (size_t)snprintf(m->name + len, sizeof m->name - len,
                                    ":%s=%g", m->ops->params[p].name,
                                    m->params[p]);
}

static enum vg_err parse_one(char *item, vg_spec_lookup find,
                             struct vg_spec_model *m, struct vg_diag *d)
{
    int set[VG_MODEL_MAX_PARAMS] = {0};
    char *save = strchr(item, ':');
    if (save)
        *save++ = '\0';
    memset(m, 0, sizeof *m);
    m->ops = item[0] ? find(item) : NULL;
    if (m->ops == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "unknown model \"%s\"", item);
    if (m->ops->nparams > VG_MODEL_MAX_PARAMS)
        return vg_fail(d, VG_LIMIT, "", 0, 0, "model \"%s\" declares %zu "
                       "parameters (max %d)", item, m->ops->nparams,
                       VG_MODEL_MAX_PARAMS);
    for (size_t p = 0; p < m->ops->nparams; p++)
        m->params[p] = m->ops->params[p].def;
    while (save && *save) {
        char *kv = save, *colon = strchr(save, ':');
        if (colon)
            *colon = '\0';
        save = colon ? colon + 1 : NULL;
        enum vg_err e = apply_setting(m, kv, set, d);
        if (e != VG_OK)
            return e;
    }
    canonical_name(m, set);
    return VG_OK;
}

static size_t find_same(const struct vg_spec_model *a, size_t n,
                        const struct vg_spec_model *m)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].ops == m->ops &&
            memcmp(a[i].params, m->params, sizeof m->params) == 0)
            return i;
    return n;
}

enum vg_err vg_spec_parse(const char *spec, vg_spec_lookup find, int baseline,
                          struct vg_spec_model **out, size_t *n,
                          struct vg_diag *d)
{
    char buf[VG_SPEC_MAX_LEN + 1];
    size_t len = spec ? strlen(spec) : 0, n0 = *n;
    if (len > VG_SPEC_MAX_LEN)
        return vg_fail(d, VG_LIMIT, "", 0, 0, "model list is %zu characters "
                       "long (max %d)", len, VG_SPEC_MAX_LEN);
    memcpy(buf, spec ? spec : "", len + 1);
    char *p = buf;
    enum vg_err e = VG_OK;
    while (p && *p) {
        char *item = p, *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        p = comma ? comma + 1 : NULL;
        if (*item == '\0')
            continue; /* tolerate "a,,b" and a trailing comma */
        struct vg_spec_model m;
        if ((e = parse_one(item, find, &m, d)) != VG_OK)
            break;
        m.baseline = baseline;
        size_t same = find_same(*out, *n, &m);
        if (same < *n) {
            (*out)[same].baseline |= baseline;
            continue;
        }
        if (*n >= VG_SPEC_MAX_MODELS) {
            e = vg_fail(d, VG_LIMIT, "", 0, 0, "more than %d models",
                        VG_SPEC_MAX_MODELS);
            break;
        }
        struct vg_spec_model *grown = vg_reallocarray(*out, *n + 1, sizeof *grown);
        if (grown == NULL) {
            e = vg_fail(d, VG_NOMEM, "", 0, 0, "model list: out of memory");
            break;
        }
        *out = grown;
        grown[(*n)++] = m;
    }
    if (e != VG_OK)
        *n = n0;
    return e;
}

enum vg_err vg_spec_with_baselines(const char *spec, vg_spec_lookup find,
                                   struct vg_spec_model **out, size_t *n,
                                   struct vg_diag *d)
{
    enum vg_err e = vg_spec_parse(spec, find, 0, out, n, d);
    if (e == VG_OK)
        e = vg_spec_parse(VG_SPEC_BASELINES, find, 1, out, n, d);
    return e;
}

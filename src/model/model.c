/*
 * model.c — the registry of models and "k=v" parameter parsing.
 * The registry is a const table; nothing here allocates.
 */
#include "model/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/models.h"

static const struct vg_model_ops *const registry[] = {
    &vg_model_naive, &vg_model_average, &vg_model_season,
    &vg_model_kde, &vg_model_prospective, &vg_model_stkde,
    &vg_model_etas, &vg_model_glm,
};

size_t vg_model_count(void)
{
    return sizeof registry / sizeof registry[0];
}

const struct vg_model_ops *vg_model_at(size_t i)
{
    return i < vg_model_count() ? registry[i] : NULL;
}

const struct vg_model_ops *vg_model_find(const char *name)
{
    for (size_t i = 0; name && i < vg_model_count(); i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

enum vg_err vg_model_params(const struct vg_model_ops *m,
                            const char *const *kv, size_t nkv, double *params,
                            struct vg_diag *d)
{
    for (size_t i = 0; i < m->nparams; i++)
        params[i] = m->params[i].def;
    for (size_t j = 0; j < nkv; j++) {
        const char *eq = strchr(kv[j], '=');
        size_t klen = eq ? (size_t)(eq - kv[j]) : 0;
        size_t i;
        if (!eq || klen == 0)
            return vg_fail(d, VG_USAGE, "", 0, 0,
                           "model %s: \"%.80s\" is not a \"name=value\" setting",
                           m->name, kv[j]);
        for (i = 0; i < m->nparams; i++)
            if (strlen(m->params[i].name) == klen &&
                strncmp(m->params[i].name, kv[j], klen) == 0)
                break;
        if (i == m->nparams)
            return vg_fail(d, VG_USAGE, "", 0, 0,
                           "model %s has no parameter \"%.*s\"", m->name,
                           (int)(klen > 60 ? 60 : klen), kv[j]);
        char *end = NULL;
        double v = strtod(eq + 1, &end);
        if (end == eq + 1 || *end != 0 || !isfinite(v))
            return vg_fail(d, VG_USAGE, "", 0, 0,
                           "model %s: %s=\"%.40s\" is not a number", m->name,
                           m->params[i].name, eq + 1);
        if (v < m->params[i].min || v > m->params[i].max)
            return vg_fail(d, VG_RANGE, "", 0, 0,
                           "model %s: %s=%g is outside [%g, %g] (%s)", m->name,
                           m->params[i].name, v, m->params[i].min,
                           m->params[i].max, m->params[i].help);
        params[i] = v;
    }
    return VG_OK;
}

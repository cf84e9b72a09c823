/*
 * tune.c — grid and random parameter search (contract in tune.h).
 * Axes are parsed into fixed-size tables; settings are materialised as
 * vg_spec_model entries (canonical names list every tuned parameter) and
 * evaluated together by one vg_backtest_run, which parallelises them.
 */
#include "eval/tune.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

struct axis {
    size_t param;
    int range; /* 1: lo..hi, 0: list */
    double v[VG_TUNE_MAX_VALUES];
    size_t nv;
};

static int num(const char *s, const char *end, double *out)
{
    char tmp[64], *e;
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof tmp)
        return 0;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    errno = 0;
    *out = strtod(tmp, &e);
    return errno == 0 && *e == 0 && isfinite(*out);
}

static enum vg_err parse_axis(const struct vg_model_ops *ops, const char *s,
                              struct axis *a, struct vg_diag *d)
{
    const char *eq = strchr(s, '='), *p;
    memset(a, 0, sizeof *a);
    if (eq == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "tune axis \"%s\": expected "
                       "name=v1|v2 or name=lo..hi", s);
    while (a->param < ops->nparams &&
           (strlen(ops->params[a->param].name) != (size_t)(eq - s) ||
            strncmp(ops->params[a->param].name, s, (size_t)(eq - s)) != 0))
        a->param++;
    if (a->param == ops->nparams)
        return vg_fail(d, VG_USAGE, "", 0, 0, "tune axis \"%s\": model \"%s\" "
                       "has no such parameter", s, ops->name);
    const struct vg_param_def *pd = &ops->params[a->param];
    const char *dots = strstr(eq + 1, "..");
    if (dots) {
        a->range = 1, a->nv = 2;
        if (!num(eq + 1, dots, &a->v[0]) || !num(dots + 2, dots + strlen(dots), &a->v[1]) ||
            !(a->v[0] < a->v[1]))
            return vg_fail(d, VG_USAGE, "", 0, 0, "tune axis \"%s\": expected "
                           "lo..hi with lo < hi", s);
    } else {
        for (p = eq + 1; a->nv < VG_TUNE_MAX_VALUES;) {
            const char *bar = strchr(p, '|');
            const char *end = bar ? bar : p + strlen(p);
            if (!num(p, end, &a->v[a->nv++]))
                return vg_fail(d, VG_USAGE, "", 0, 0, "tune axis \"%s\": "
                               "value %zu is not a number", s, a->nv);
            if (!bar)
                break;
            p = bar + 1;
        }
        if (p && strchr(p, '|'))
            return vg_fail(d, VG_LIMIT, "", 0, 0, "tune axis \"%s\": more than "
                           "%d values", s, VG_TUNE_MAX_VALUES);
    }
    for (size_t k = 0; k < a->nv; k++)
        if (a->v[k] < pd->min || a->v[k] > pd->max)
            return vg_fail(d, VG_RANGE, "", 0, 0, "tune axis \"%s\": %g is "
                           "outside [%g, %g]", s, a->v[k], pd->min, pd->max);
    return VG_OK;
}

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double draw(const struct axis *a, double def, uint64_t *s)
{
    double u = (double)(mix(s) >> 11) * 0x1p-53;
    if (!a->range)
        return a->v[(size_t)(u * (double)a->nv)];
    double lo = a->v[0], hi = a->v[1];
    if (lo == floor(lo) && hi == floor(hi) && def == floor(def))
        return floor(lo + u * (hi - lo + 1) < hi ? lo + u * (hi - lo + 1) : hi);
    return lo + u * (hi - lo);
}

static void name_trial(struct vg_spec_model *m, const struct axis *ax,
                       size_t nax)
{
    size_t len = (size_t)snprintf(m->name, sizeof m->name, "%s", m->ops->name);
    for (size_t k = 0; k < nax && len < sizeof m->name; k++)
        len += (size_t)snprintf(m->name + len, sizeof m->name - len, ":%s=%g",
                                m->ops->params[ax[k].param].name,
                                m->params[ax[k].param]);
}

/* Materialise the settings into `t` (ntrial entries). */
static enum vg_err settings(const struct vg_tune_config *c,
                            const struct axis *ax, size_t nax,
                            struct vg_tune_trial **t, size_t *nt,
                            struct vg_diag *d)
{
    size_t n = c->random;
    if (n == 0) {
        n = 1;
        for (size_t k = 0; k < nax; k++) {
            if (ax[k].range)
                return vg_fail(d, VG_USAGE, "", 0, 0, "a range (lo..hi) needs "
                               "random search (--random N)");
            n = n > VG_TUNE_MAX_TRIALS ? n : n * ax[k].nv;
        }
    }
    if (n > VG_TUNE_MAX_TRIALS)
        return vg_fail(d, VG_LIMIT, "", 0, 0, "%zu settings (max %d)", n,
                       VG_TUNE_MAX_TRIALS);
    if ((*t = vg_calloc(n, sizeof **t)) == NULL)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "tune: out of memory");
    uint64_t s = c->seed;
    for (size_t i = 0; i < n; i++) {
        struct vg_spec_model *m = &(*t)[i].model;
        m->ops = c->ops;
        for (size_t p = 0; p < c->ops->nparams; p++)
            m->params[p] = c->ops->params[p].def;
        size_t rest = i; /* mixed-radix digits of i, last axis fastest */
        for (size_t k = nax; k-- > 0;) {
            double def = c->ops->params[ax[k].param].def;
            m->params[ax[k].param] = c->random ? draw(&ax[k], def, &s)
                                               : ax[k].v[rest % ax[k].nv];
            rest /= ax[k].nv;
        }
        name_trial(m, ax, nax);
    }
    *nt = n;
    return VG_OK;
}

static enum vg_err run_test(const struct vg_tune_config *c,
                            const struct vg_events *all,
                            const struct vg_units *u, struct vg_tune_result *r,
                            struct vg_diag *d)
{
    struct vg_spec_model *ms = vg_calloc(c->nbaselines + 1, sizeof *ms);
    if (ms == NULL)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "tune: out of memory");
    ms[0] = r->trial[r->best].model;
    memcpy(ms + 1, c->baselines, c->nbaselines * sizeof *ms);
    struct vg_backtest_config bt = c->bt;
    bt.models = ms, bt.nmodels = c->nbaselines + 1;
    bt.win = c->test, bt.nwin = c->ntest;
    enum vg_err e = vg_backtest_run(&bt, all, u, &r->test, d);
    r->has_test = e == VG_OK;
    vg_free(ms);
    return e;
}

enum vg_err vg_tune_run(const struct vg_tune_config *c,
                        const struct vg_events *all, const struct vg_units *u,
                        struct vg_tune_result *out, struct vg_diag *d)
{
    struct axis ax[VG_TUNE_MAX_AXES];
    struct vg_spec_model *ms = NULL;
    struct vg_backtest_result vr;
    enum vg_err e = VG_OK;
    memset(out, 0, sizeof *out);
    memset(&vr, 0, sizeof vr);
    if (c->naxes > VG_TUNE_MAX_AXES) {
        e = vg_fail(d, VG_LIMIT, "", 0, 0, "%zu tune axes (max %d)", c->naxes,
                    VG_TUNE_MAX_AXES);
        goto out;
    }
    if (c->ntest && c->bt.nwin && c->test[0].start < c->bt.win[c->bt.nwin - 1].end) {
        e = vg_fail(d, VG_USAGE, "", 0, 0, "the test period must start after "
                    "the validation period ends");
        goto out;
    }
    for (size_t k = 0; k < c->naxes && e == VG_OK; k++)
        e = parse_axis(c->ops, c->axes[k], &ax[k], d);
    if (e != VG_OK ||
        (e = settings(c, ax, c->naxes, &out->trial, &out->ntrial, d)) != VG_OK)
        goto out;
    if ((ms = vg_calloc(out->ntrial, sizeof *ms)) == NULL) {
        e = vg_fail(d, VG_NOMEM, "", 0, 0, "tune: out of memory");
        goto out;
    }
    for (size_t i = 0; i < out->ntrial; i++)
        ms[i] = out->trial[i].model;
    struct vg_backtest_config bt = c->bt;
    bt.models = ms, bt.nmodels = out->ntrial;
    if ((e = vg_backtest_run(&bt, all, u, &vr, d)) != VG_OK)
        goto out;
    size_t ip = vr.iprimary;
    for (size_t i = 0; i < out->ntrial; i++) {
        struct vg_tune_trial *t = &out->trial[i];
        const struct vg_bt_summary *S = &vr.sum[i];
        t->pai = S->pai[ip], t->hit_rate = S->hit_rate[ip], t->pei = S->pei[ip];
        t->loglik = S->loglik, t->brier = S->brier;
        const struct vg_tune_trial *b = &out->trial[out->best];
        if (t->pai > b->pai || (t->pai == b->pai && t->loglik > b->loglik))
            out->best = i;
    }
    if (c->ntest)
        e = run_test(c, all, u, out, d);
out:
    vg_backtest_result_free(&vr);
    vg_free(ms);
    if (e != VG_OK)
        vg_tune_result_free(out);
    return e;
}

void vg_tune_result_free(struct vg_tune_result *r)
{
    if (r == NULL)
        return;
    vg_free(r->trial);
    vg_backtest_result_free(&r->test);
    memset(r, 0, sizeof *r);
}

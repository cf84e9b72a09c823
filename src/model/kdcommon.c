/*
 * kdcommon.c — the shared half of kde.c and stkde.c (see kdcommon.h).
 * Memory: weights arrays are freed here; the state belongs to the caller.
 */
#include "model/kdcommon.h"

#include <string.h>

#include "base/alloc.h"

enum vg_err model__kd_fit(const struct vg_model_input *in, const double *p,
                          const char *model, void **state, struct vg_diag *d)
{
    enum vg_err e = model__check_input(in, model, d);
    if (e)
        return e;
    struct model__kd_state *s = vg_calloc(1, sizeof *s);
    if (!s)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
    s->kernel = p[0];
    s->h = p[1];
    s->time = p[2];
    vg_tod_learn(in->ev, model__visible(in), in->tz, MODEL__TOD_SIGMA_H,
                 MODEL__TOD_PRIOR, &s->tod);
    *state = s;
    return VG_OK;
}

void model__kd_kernel(const struct model__kd_state *s, struct model__kernel *k)
{
    k->type = s->kernel >= 0.5 ? 1 : 0;
    k->h = s->h;
    k->radius = k->type == 1 ? s->h : 5 * s->h;
    k->cellsize = 1;
}

enum vg_err model__kd_predict(const struct model__kd_state *s, model__kd_weights_fn wf,
                              const char *model, const struct vg_model_input *in,
                              const struct vg_window *w, double *expected,
                              struct vg_diag *d)
{
    size_t lo, hi;
    struct model__kernel k;
    enum vg_err e = model__check_input(in, model, d);
    if (e)
        return e;
    memset(expected, 0, in->units->n * sizeof *expected);
    model__kd_kernel(s, &k);
    double *wgt = wf(s, in, &lo, &hi);
    if (!wgt)
        return hi > lo ? vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory") : VG_OK;
    model__spread(in->units, in->ev, lo, hi, wgt, &k, in->threads, expected);
    double eff = model__eff_days(&s->tod, in->tz, w);
    for (size_t i = 0; i < in->units->n; i++)
        expected[i] *= model__unit_m2(in->units, i) * eff;
    vg_free(wgt);
    return VG_OK;
}

size_t model__kd_explain(const struct model__kd_state *s, model__kd_weights_fn wf,
                         const struct vg_model_input *in, const struct vg_window *w,
                         size_t i, struct vg_contrib *out, size_t max)
{
    size_t lo, hi;
    struct model__kernel k;
    if (i >= in->units->n)
        return 0;
    model__kd_kernel(s, &k);
    double *wgt = wf(s, in, &lo, &hi);
    if (!wgt)
        return 0;
    double scale = model__unit_m2(in->units, i) * model__eff_days(&s->tod, in->tz, w);
    size_t n = model__spread_explain(in, lo, hi, wgt, &k, scale, i, out, max);
    vg_free(wgt);
    return n;
}

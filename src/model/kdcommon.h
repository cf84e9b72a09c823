/*
 * kdcommon.h — what the two kernel-density models (kde.c: flat weights over
 * a look-back; stkde.c: exponentially decaying weights) share: a state of
 * three parameters and a time-of-day profile, the spatial kernel they
 * imply, and predict/explain given each model's per-event time weights.
 * Internal to src/model (model__ prefix).
 */
#ifndef VG_MODEL_KDCOMMON_H
#define VG_MODEL_KDCOMMON_H

#include "model/common.h"

/* kernel (0 Gaussian, 1 quartic), bandwidth h in metres, and the model's
 * time parameter (kde: look-back days; stkde: decay constant tau). */
struct model__kd_state {
    double kernel, h, time;
    struct vg_tod tod;
};

/* Per-event weights (events per day) of events [*lo, *hi): a vg_malloc'ed
 * array of *hi - *lo values, or NULL (none when *hi <= *lo, else out of
 * memory). */
typedef double *(*model__kd_weights_fn)(const struct model__kd_state *s,
                                        const struct vg_model_input *in,
                                        size_t *lo, size_t *hi);

/* fit(): the three parameters p[0..2] and the time-of-day profile into a
 * new state (vg_free). */
enum vg_err model__kd_fit(const struct vg_model_input *in, const double *p,
                          const char *model, void **state, struct vg_diag *d);
/* The spatial kernel of a state: Gaussian truncated at 5 h, or quartic. */
void model__kd_kernel(const struct model__kd_state *s, struct model__kernel *k);
/* predict(): λ(unit centre) = Σ kern · weight, × unit surface × effective
 * days of the window. */
enum vg_err model__kd_predict(const struct model__kd_state *s, model__kd_weights_fn wf,
                              const char *model, const struct vg_model_input *in,
                              const struct vg_window *w, double *expected,
                              struct vg_diag *d);
/* explain(): the events that weigh most at unit i. */
size_t model__kd_explain(const struct model__kd_state *s, model__kd_weights_fn wf,
                         const struct vg_model_input *in, const struct vg_window *w,
                         size_t i, struct vg_contrib *out, size_t max);

#endif

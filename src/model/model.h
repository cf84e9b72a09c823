/*
 * model.h — the one interface every forecasting model implements.
 *
 * A model is a const table of operations.  fit() learns parameters from the
 * events strictly before in->t_cut; predict() returns, for every unit, the
 * expected number of events in a window that starts at or after the fit
 * time, conditioning on the events visible in its own `in` (those strictly
 * before the window start).  The harness guarantees the events it hands in
 * stop before t_cut; a model must not reach for data any other way.
 * State returned by fit() is owned by the caller and released with free();
 * predict() and explain() do not modify it, so one fitted state may serve
 * several threads.
 */
#ifndef VG_MODEL_H
#define VG_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/tz.h"
#include "geo/units.h"
#include "store/events.h"
#include "store/weather.h"

#define VG_MODEL_MAX_PARAMS 16

struct vg_param_def {
    const char *name;
    double def, min, max;
    const char *help; /* one line, with the unit */
};

struct vg_calendar; /* model/calendar.h: public and school holidays */

struct vg_model_input {
    const struct vg_events *ev;       /* sorted; every t < t_cut; selected categories */
    const struct vg_units *units;     /* the places forecast */
    const struct vg_tz *tz;           /* study zone: local hour, weekday, holidays */
    const struct vg_weather *weather; /* may be NULL */
    const struct vg_calendar *cal;    /* may be NULL */
    int64_t t_cut;                    /* nothing at or after t_cut is visible */
    int threads;                      /* worker threads the model may use (>= 1) */
};

struct vg_window {
    int64_t start, end; /* UTC seconds, [start, end) */
};

/* One line of "why is this place listed". */
struct vg_contrib {
    char what[96];  /* e.g. "event #1234 on 2018-01-02, 320 m away" or "lag_7d" */
    double weight;  /* its share of the expected count, in events */
};

struct vg_model_ops {
    const char *name;     /* command-line name: "naive", "kde", … */
    const char *summary;  /* one line for `vigie models list` */
    const char *citation; /* paper(s), or "" for baselines */
    const struct vg_param_def *params;
    size_t nparams;
    enum vg_err (*fit)(const struct vg_model_input *in, const double *params,
                       void **state, struct vg_diag *d);
    /* expected[i] for i < in->units->n: events expected in unit i during w.
     * `in` is the data visible at w->start (t_cut <= w->start). */
    enum vg_err (*predict)(const void *state, const struct vg_model_input *in,
                           const struct vg_window *w, double *expected,
                           struct vg_diag *d);
    /* Up to `max` main contributions to unit `i`, largest first; returns
     * how many were written. */
    size_t (*explain)(const void *state, const struct vg_model_input *in,
                      const struct vg_window *w, size_t i,
                      struct vg_contrib *out, size_t max);
    /* Fitted quantities worth reporting (e.g. theta, omega, mu_total):
     * writes up to `max` names/values, returns the count.  May be NULL. */
    size_t (*fitted)(const void *state, const char **names, double *values,
                     size_t max);
    void (*free)(void *state);
};

/* Registry of all models, in the order `vigie models list` prints them. */
size_t vg_model_count(void);
const struct vg_model_ops *vg_model_at(size_t i);
const struct vg_model_ops *vg_model_find(const char *name);

/* Fill params[] with the model's defaults, then apply "k=v" settings.
 * Unknown names and out-of-range values fail with a message naming them. */
enum vg_err vg_model_params(const struct vg_model_ops *m,
                            const char *const *kv, size_t nkv, double *params,
                            struct vg_diag *d);

#endif

/*
 * spec.h — the model list of a backtest, as written on the command line:
 *   "naive:days=28,kde:bandwidth=200:cutoff=800,etas"
 * Models are separated by ',', settings by ':', each setting is name=value
 * and must name one of the model's parameters, within its [min, max].
 * The always-included naive baselines (VG_SPEC_BASELINES) can be appended;
 * a model identical to a baseline (same model, same parameters) is listed
 * once and flagged as a baseline.
 * The parsed array is owned by the caller (vg_free).
 */
#ifndef VG_SPEC_H
#define VG_SPEC_H

#include <stddef.h>

#include "base/err.h"
#include "model/model.h"

#define VG_SPEC_MAX_LEN 4096
#define VG_SPEC_MAX_MODELS 256
#define VG_SPEC_NAME 128

/* The simple rules every model must beat. */
#define VG_SPEC_BASELINES                                                     \
    "naive:days=7,naive:days=28,naive:days=56,naive:days=365,average,season"

struct vg_spec_model {
    const struct vg_model_ops *ops;
    double params[VG_MODEL_MAX_PARAMS];
    char name[VG_SPEC_NAME]; /* canonical: "kde:bandwidth=200" */
    int baseline;            /* 1 for the always-included baselines */
};

/* Finds a model by command-line name (vg_model_find in the program, a test
 * registry in tests); returns NULL when unknown. */
typedef const struct vg_model_ops *(*vg_spec_lookup)(const char *name);

/* Append the models of `spec` to (*out, *n) (reallocated; `*out` may start
 * as NULL).  `baseline` marks them as baselines.  Fails with VG_USAGE naming
 * the offending model or setting, VG_RANGE for a value out of range,
 * VG_LIMIT past the limits above; on failure *n is unchanged (and `*out`
 * may have been reallocated). */
enum vg_err vg_spec_parse(const char *spec, vg_spec_lookup find, int baseline,
                          struct vg_spec_model **out, size_t *n,
                          struct vg_diag *d);

/* Parse `spec` (may be NULL or "") and then append VG_SPEC_BASELINES. */
enum vg_err vg_spec_with_baselines(const char *spec, vg_spec_lookup find,
                                   struct vg_spec_model **out, size_t *n,
                                   struct vg_diag *d);

#endif

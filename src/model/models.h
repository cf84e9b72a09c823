/*
 * models.h — the operation tables of every model, for the registry in
 * model.c (internal to src/model).
 */
#ifndef VG_MODELS_H
#define VG_MODELS_H

#include "model/model.h"

extern const struct vg_model_ops vg_model_naive, vg_model_average,
    vg_model_season, vg_model_kde, vg_model_prospective, vg_model_stkde,
    vg_model_etas, vg_model_glm;

#endif

/* glm.c — placeholder until the Poisson GLM lands (next commit). */
#include "model/common.h"
#include "model/models.h"

static enum vg_err glm_fit(const struct vg_model_input *in, const double *p,
                           void **state, struct vg_diag *d)
{
    (void)in, (void)p, (void)state;
    return vg_fail(d, VG_UNSUPPORTED, "", 0, 0, "glm: not implemented yet");
}

const struct vg_model_ops vg_model_glm = {
    "glm", "Poisson regression per unit-day (not implemented yet)", "",
    NULL, 0, glm_fit, NULL, NULL, NULL, NULL,
};

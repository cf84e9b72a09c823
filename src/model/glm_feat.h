/*
 * glm_feat.h — features of the Poisson GLM (internal to glm.c): per-unit
 * event-day histories, unit-day and day features, the sampled rows.
 * Every struct here owns its arrays (the _free functions release them).
 */
#ifndef VG_GLM_FEAT_H
#define VG_GLM_FEAT_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

#define GLM_NROWF 5
#define GLM_NDAYF 25
#define GLM_NB (1 + GLM_NROWF + GLM_NDAYF)
enum { GLM_DF_DOW = 0, GLM_DF_MONTH = 6, GLM_DF_PUB = 17, GLM_DF_SCHOOL = 18,
       GLM_DF_TMAX = 19 /* then tmax_missing, prcp, prcp_missing, snow, snow_missing */ };

/* Local days of the visible events, grouped by unit (CSR, sorted), and the
 * grid position of every unit. */
struct glm_hist {
    size_t nu;
    size_t *start;      /* nu + 1 */
    int32_t *day;       /* start[nu] */
    int32_t first_day;  /* local day of the first visible event */
    int32_t *col, *row; /* nu, grid units only */
};

struct glm_scale {
    double rmean[GLM_NROWF], rsd[GLM_NROWF];
    double wmean[3], wsd[3]; /* tmax, log1p prcp, log1p snow */
};

/* Sampled training rows (unit-days). */
struct glm_rows {
    size_t n;
    float *z;       /* n × GLM_NROWF */
    int32_t *day;   /* day − dstart */
    uint32_t *unit;
    float *w, *y;
    double wtot, ytot, rate; /* rate = zero-row sampling probability */
    int threads;
};

int32_t glm__day_of(const struct vg_tz *tz, int64_t t);
enum vg_err glm__hist(const struct vg_model_input *in, size_t vis,
                      struct glm_hist *h, struct vg_diag *d);
void glm__hist_free(struct glm_hist *h);
/* Raw unit-day features of unit u on day `day` (events of days < day). */
void glm__row_feats(const struct vg_units *u, const struct glm_hist *h,
                    size_t unit, int32_t day, float *z);
/* Day features (weather standardised with sc). */
void glm__day_feats(const struct vg_model_input *in, const struct glm_scale *sc,
                    int32_t day, double *out);
/* Enumerate unit-days of [dstart, dend), keep positives and a hash-sampled
 * share of zeros (about zero_ratio per positive), compute raw features. */
enum vg_err glm__rows(const struct vg_model_input *in, const struct glm_hist *h,
                      int32_t dstart, int32_t dend, double zero_ratio,
                      uint64_t seed, struct glm_rows *r, struct vg_diag *d);
void glm__rows_free(struct glm_rows *r);
/* Weighted means/s.d. of row features, weather means/s.d. over days. */
void glm__scale_fit(const struct vg_model_input *in, const struct glm_rows *r,
                    int32_t dstart, int32_t dend, struct glm_scale *sc);
void glm__standardise_rows(struct glm_rows *r, const struct glm_scale *sc);
/* Name of coefficient j (0 = intercept). */
const char *glm__feat_name(int j);
const char *glm__coef_name(int j);

#endif

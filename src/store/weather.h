/*
 * weather.h — daily weather in SI units, as the models read it.
 * Arrays are indexed by day - day0 (days since 1970-01-01, local dates of the
 * station).  Missing values are NAN, never zero.  The struct owns its arrays.
 */
#ifndef VG_WEATHER_H
#define VG_WEATHER_H

#include <stddef.h>
#include <stdint.h>

struct vg_weather {
    int64_t day0;  /* first day covered */
    size_t ndays;
    double *tmax_c, *tmin_c; /* °C */
    double *prcp_mm;         /* mm of precipitation */
    double *snow_mm;         /* mm of snowfall */
    double *wind_ms;         /* mean wind speed m/s */
};

/* Value for `day` or NAN when out of range or missing. */
double vg_weather_at(const double *col, const struct vg_weather *w, int64_t day);
void vg_weather_free(struct vg_weather *w);

#endif

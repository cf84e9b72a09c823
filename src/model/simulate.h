/*
 * simulate.h — seeded simulator of the grid self-exciting point process
 * that etas.c fits (Mohler et al. 2015): in each unit c, background events
 * arrive as a Poisson process of rate mu[c] per day on [0, T) days; every
 * event independently spawns Poisson(theta) children in the same unit at
 * delays ~ Exponential(omega per day); children spawn their own, and those
 * falling at or after T are dropped.  Used by the tests and by demos; the
 * result is a deterministic function of the seed.
 */
#ifndef VG_SIMULATE_H
#define VG_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "geo/units.h"
#include "store/events.h"

/* splitmix64 generator: state advanced by every draw. */
uint64_t vg_sim_next(uint64_t *state);
double vg_sim_uniform(uint64_t *state);            /* (0, 1) */
unsigned long vg_sim_poisson(uint64_t *state, double mean);

/* Append the simulated events to `out` (must be initialised), placed at the
 * centre of their unit, at t0 + days × 86400 (whole seconds), with ids
 * from 1, category 0, then sort.  At most `max_events` events (VG_LIMIT
 * beyond, e.g. for theta close to 1). */
enum vg_err vg_simulate_etas(const struct vg_units *u, const double *mu,
                             double theta, double omega, double T_days,
                             int64_t t0, uint64_t seed, size_t max_events,
                             struct vg_events *out, struct vg_diag *d);

#endif

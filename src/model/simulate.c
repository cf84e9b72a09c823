/*
 * simulate.c — branching-process simulation of the grid ETAS model
 * (see simulate.h).  Generation by generation: the background events are
 * drawn first, then each event in the list (which grows as children are
 * appended) draws its children, so the list is a breadth-first family tree.
 * Memory: a temporary array of (unit, time) freed before returning.
 */
#include "model/simulate.h"

#include <math.h>
#include <string.h>

#include "base/alloc.h"

uint64_t vg_sim_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double vg_sim_uniform(uint64_t *s)
{
    return ((double)(vg_sim_next(s) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

unsigned long vg_sim_poisson(uint64_t *s, double mean)
{
    unsigned long n = 0;
    while (mean > 20) { /* sum of independent Poissons is Poisson */
        n += vg_sim_poisson(s, 20);
        mean -= 20;
    }
    double L = exp(-mean), p = 1;
    for (;;) {
        p *= vg_sim_uniform(s);
        if (p <= L)
            return n;
        n++;
    }
}

struct sim_ev {
    int32_t unit;
    double t;
};

enum vg_err vg_simulate_etas(const struct vg_units *u, const double *mu,
                             double theta, double omega, double T_days,
                             int64_t t0, uint64_t seed, size_t max_events,
                             struct vg_events *out, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    size_t n = 0, cap = 1024;
    uint64_t st = seed;
    struct sim_ev *a = vg_malloc(cap * sizeof *a);
    if (!a)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");
#define SIM_PUSH(uu, tt)                                                      \
    do {                                                                      \
        if (n == max_events) {                                                \
            e = vg_fail(d, VG_LIMIT, "", 0, 0, "simulation exceeds %zu events", \
                        max_events);                                          \
            goto out;                                                         \
        }                                                                     \
        if (n == cap) {                                                       \
            struct sim_ev *na = vg_reallocarray(a, cap * 2, sizeof *a);       \
            if (!na) {                                                        \
                e = vg_fail(d, VG_NOMEM, "", 0, 0, "out of memory");          \
                goto out;                                                     \
            }                                                                 \
            a = na;                                                           \
            cap *= 2;                                                         \
        }                                                                     \
        a[n].unit = (uu);                                                     \
        a[n].t = (tt);                                                        \
        n++;                                                                  \
    } while (0)
    for (size_t c = 0; c < u->n; c++) {
        unsigned long k = vg_sim_poisson(&st, mu[c] * T_days);
        for (unsigned long j = 0; j < k; j++)
            SIM_PUSH((int32_t)c, vg_sim_uniform(&st) * T_days);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned long k = vg_sim_poisson(&st, theta);
        for (unsigned long j = 0; j < k; j++) {
            double t = a[i].t - log(vg_sim_uniform(&st)) / omega;
            if (t < T_days)
                SIM_PUSH(a[i].unit, t);
        }
    }
#undef SIM_PUSH
    if ((e = vg_events_reserve(out, out->n + n)) != VG_OK) {
        vg_fail(d, e, "", 0, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int32_t c = a[i].unit;
        int64_t t = t0 + (int64_t)floor(a[i].t * 86400.0);
        e = vg_events_push(out, (int64_t)(i + 1), t, t, u->cx[c], u->cy[c], 0, 0,
                           0, u->kind == VG_UNITS_AREAS ? c : -1, 0, 0);
        if (e) {
            vg_fail(d, e, "", 0, 0, "out of memory");
            goto out;
        }
    }
    e = vg_events_sort(out);
out:
    vg_free(a);
    return e;
}

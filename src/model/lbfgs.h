/*
 * lbfgs.h — limited-memory BFGS minimiser (Nocedal 1980; Nocedal & Wright,
 * Numerical Optimization, 2nd ed., Algorithm 7.4 two-loop recursion) with a
 * backtracking Armijo line search.  Small and dependency-free; used by the
 * GLM.  Memory: allocates its history internally and frees it on return.
 */
#ifndef VG_LBFGS_H
#define VG_LBFGS_H

#include <stddef.h>

#include "base/err.h"

/* Objective: returns f(x) and writes the gradient to g. */
typedef double (*vg_lbfgs_fn)(void *ctx, const double *x, double *g);

struct vg_lbfgs_result {
    double f;        /* final objective */
    size_t iters;    /* iterations done */
    int converged;   /* 1 if ‖g‖∞ < gtol·max(1, ‖x‖∞) or relative f change < ftol */
};

/* Minimise from x (n ≤ 4096, updated in place), history m = 8. */
enum vg_err vg_lbfgs(size_t n, double *x, vg_lbfgs_fn fn, void *ctx,
                     size_t maxit, double gtol, double ftol,
                     struct vg_lbfgs_result *res);

#endif

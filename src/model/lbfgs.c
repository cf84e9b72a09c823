/*
 * lbfgs.c — L-BFGS with backtracking (see lbfgs.h).  Pairs (s, y) with
 * non-positive curvature s·y are skipped so the implicit Hessian stays
 * positive definite; a failed line search restarts from steepest descent
 * once, then stops.
 */
#include "model/lbfgs.h"

#include <math.h>
#include <string.h>

#include "base/alloc.h"

#define M 8

static double dot(size_t n, const double *a, const double *b)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

static double amax(size_t n, const double *a)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m = fmax(m, fabs(a[i]));
    return m;
}

/* d = −H·g by the two-loop recursion over the k stored pairs. */
static void direction(size_t n, size_t k, size_t head, const double *S,
                      const double *Y, const double *rho, const double *g, double *d)
{
    double alpha[M];
    for (size_t i = 0; i < n; i++)
        d[i] = -g[i];
    for (size_t j = 0; j < k; j++) {
        size_t idx = (head + M - 1 - j) % M;
        alpha[idx] = rho[idx] * dot(n, S + idx * n, d);
        for (size_t i = 0; i < n; i++)
            d[i] -= alpha[idx] * Y[idx * n + i];
    }
    if (k > 0) {
        size_t last = (head + M - 1) % M;
        double gamma = dot(n, S + last * n, Y + last * n) / dot(n, Y + last * n, Y + last * n);
        for (size_t i = 0; i < n; i++)
            d[i] *= gamma;
    }
    for (size_t j = k; j-- > 0;) {
        size_t idx = (head + M - 1 - j) % M;
        double beta = rho[idx] * dot(n, Y + idx * n, d);
        for (size_t i = 0; i < n; i++)
            d[i] += (alpha[idx] - beta) * S[idx * n + i];
    }
}

/* Backtracking from `step` along d until the Armijo condition holds;
 * writes the new point, gradient and value.  Returns 0 after 40 halvings. */
static int line_search(size_t n, const double *x, const double *d, double f,
                       double gd, double step, vg_lbfgs_fn fn, void *ctx,
                       double *xn, double *gn, double *fn_new)
{
    for (int ls = 0; ls < 40; ls++) {
        for (size_t i = 0; i < n; i++)
            xn[i] = x[i] + step * d[i];
        *fn_new = fn(ctx, xn, gn);
        if (isfinite(*fn_new) && *fn_new <= f + 1e-4 * step * gd)
            return 1;
        step *= 0.5;
    }
    return 0;
}

enum vg_err vg_lbfgs(size_t n, double *x, vg_lbfgs_fn fn, void *ctx,
                     size_t maxit, double gtol, double ftol,
                     struct vg_lbfgs_result *res)
{
    enum vg_err e = VG_OK;
    double *buf = NULL;
    if (n == 0 || n > 4096)
        return VG_RANGE;
    buf = vg_calloc((2 * M + 4) * n, sizeof *buf);
    if (!buf)
        return VG_NOMEM;
    double *S = buf, *Y = S + M * n, *g = Y + M * n, *d = g + n, *xn = d + n, *gn = xn + n;
    double rho[M] = {0};
    size_t k = 0, head = 0, it = 0;
    int restarted = 0;
    double f = fn(ctx, x, g);
    res->converged = 0;
    for (it = 0; it < maxit; it++) {
        if (amax(n, g) < gtol * fmax(1.0, amax(n, x))) {
            res->converged = 1;
            break;
        }
        direction(n, k, head, S, Y, rho, g, d);
        double gd = dot(n, g, d);
        if (!(gd < 0)) { /* not a descent direction: reset history */
            k = 0;
            for (size_t i = 0; i < n; i++)
                d[i] = -g[i];
            gd = dot(n, g, d);
        }
        double step = it == 0 && k == 0 ? 1.0 / fmax(1.0, sqrt(-gd)) : 1.0, fn_new;
        if (!line_search(n, x, d, f, gd, step, fn, ctx, xn, gn, &fn_new)) {
            if (restarted || k == 0)
                break;
            restarted = 1;
            k = 0;
            continue;
        }
        restarted = 0;
        double *sn = S + head * n, *yn = Y + head * n;
        for (size_t i = 0; i < n; i++) {
            sn[i] = xn[i] - x[i];
            yn[i] = gn[i] - g[i];
        }
        double sy = dot(n, sn, yn);
        if (sy > 1e-12 * dot(n, yn, yn)) {
            rho[head] = 1.0 / sy;
            head = (head + 1) % M;
            if (k < M)
                k++;
        }
        double rel = fabs(f - fn_new) / fmax(1.0, fabs(f));
        memcpy(x, xn, n * sizeof *x);
        memcpy(g, gn, n * sizeof *g);
        f = fn_new;
        if (rel < ftol) {
            res->converged = 1;
            it++;
            break;
        }
    }
    res->f = f;
    res->iters = it;
    vg_free(buf);
    return e;
}

/*
 * publish_stats.c — primary and complementary cell suppression for
 * published count tables (see publish_stats.h for the rule).
 *
 * The feasible interval of a suppressed cell e = (i, j) is exact: the
 * tables agreeing with everything published differ from the true one by a
 * circulation on the bipartite graph rows↔columns whose edges are the
 * suppressed cells (raising a cell is free, lowering it is bounded by its
 * count).  So x_e can rise by the max flow from column j to row i and fall
 * by min(x_e, max flow from row i to column j), both without edge e
 * (Edmonds–Karp; Ahuja, Magnanti & Orlin, Network Flows, 1993, ch. 6).
 * Invariant: after vg_pubstats_suppress, no line holds exactly one
 * suppressed cell.  Memory: one scratch block per call, freed before return.
 */
#include "report/publish_stats.h"

#include <string.h>

#include "base/alloc.h"

struct flow {
    size_t R, C, n;            /* rows, cols, suppressed cells listed */
    const int64_t *x;          /* table */
    size_t *cell;              /* listed cells (row-major index) */
    int64_t *g;                /* net flow row→col per listed cell */
    size_t *rs, *ri, *cs, *ci; /* CSR of listed cells by row / by col */
    size_t *prev, *queue;      /* per node: listed cell used to reach it */
    unsigned char *seen;
    int64_t inf;
};

static void flow_free(struct flow *f)
{
    vg_free(f->cell), vg_free(f->g), vg_free(f->rs), vg_free(f->ri);
    vg_free(f->cs), vg_free(f->ci), vg_free(f->prev), vg_free(f->queue);
    vg_free(f->seen);
}

static int flow_init(struct flow *f, const int64_t *x, size_t R, size_t C)
{
    size_t N = R * C, V = R + C;
    memset(f, 0, sizeof *f);
    f->R = R, f->C = C, f->x = x, f->inf = 1;
    for (size_t k = 0; k < N; k++)
        f->inf += x[k];
    f->cell = vg_calloc(N, sizeof *f->cell);
    f->g = vg_calloc(N, sizeof *f->g);
    f->rs = vg_calloc(R + 1, sizeof *f->rs);
    f->ri = vg_calloc(N, sizeof *f->ri);
    f->cs = vg_calloc(C + 1, sizeof *f->cs);
    f->ci = vg_calloc(N, sizeof *f->ci);
    f->prev = vg_calloc(V, sizeof *f->prev);
    f->queue = vg_calloc(V, sizeof *f->queue);
    f->seen = vg_calloc(V, 1);
    return f->cell && f->g && f->rs && f->ri && f->cs && f->ci && f->prev &&
                   f->queue && f->seen
               ? 0
               : -1;
}

/* List the suppressed cells except `skip`, indexed by row and by column. */
static void flow_load(struct flow *f, const unsigned char *st, size_t skip)
{
    size_t N = f->R * f->C;
    f->n = 0;
    memset(f->rs, 0, (f->R + 1) * sizeof *f->rs);
    memset(f->cs, 0, (f->C + 1) * sizeof *f->cs);
    for (size_t k = 0; k < N; k++)
        if (st[k] != VG_PUBSTATS_SHOWN && k != skip) {
            f->cell[f->n++] = k;
            f->rs[k / f->C + 1]++;
            f->cs[k % f->C + 1]++;
        }
    for (size_t r = 0; r < f->R; r++)
        f->rs[r + 1] += f->rs[r];
    for (size_t c = 0; c < f->C; c++)
        f->cs[c + 1] += f->cs[c];
    /* fill using prev[] as a cursor */
    for (size_t r = 0; r < f->R; r++)
        f->prev[r] = f->rs[r];
    for (size_t c = 0; c < f->C; c++)
        f->prev[f->R + c] = f->cs[c];
    for (size_t m = 0; m < f->n; m++) {
        size_t k = f->cell[m];
        f->ri[f->prev[k / f->C]++] = m;
        f->ci[f->prev[f->R + k % f->C]++] = m;
    }
}

/* Residual of listed cell m when crossed from `from_row` side. */
static int64_t resid(const struct flow *f, size_t m, int from_row)
{
    return from_row ? f->inf - f->g[m] : f->x[f->cell[m]] + f->g[m];
}

/* One BFS augmenting path src→dst; returns the amount pushed (0 = none). */
static int64_t augment(struct flow *f, size_t src, size_t dst)
{
    size_t V = f->R + f->C, head = 0, tail = 0;
    memset(f->seen, 0, V);
    f->seen[src] = 1;
    f->queue[tail++] = src;
    while (head < tail && !f->seen[dst]) {
        size_t u = f->queue[head++];
        int is_row = u < f->R;
        size_t lo = is_row ? f->rs[u] : f->cs[u - f->R];
        size_t hi = is_row ? f->rs[u + 1] : f->cs[u - f->R + 1];
        for (size_t p = lo; p < hi; p++) {
            size_t m = is_row ? f->ri[p] : f->ci[p];
            size_t k = f->cell[m];
            size_t v = is_row ? f->R + k % f->C : k / f->C;
            if (!f->seen[v] && resid(f, m, is_row) > 0) {
                f->seen[v] = 1;
                f->prev[v] = m;
                f->queue[tail++] = v;
            }
        }
    }
    if (!f->seen[dst])
        return 0;
    int64_t push = f->inf;
    for (size_t v = dst; v != src;) {
        size_t m = f->prev[v], k = f->cell[m];
        int v_is_col = v >= f->R;  /* reached a column: came from a row */
        int64_t r = resid(f, m, v_is_col);
        push = r < push ? r : push;
        v = v_is_col ? k / f->C : f->R + k % f->C;
    }
    for (size_t v = dst; v != src;) {
        size_t m = f->prev[v], k = f->cell[m];
        int v_is_col = v >= f->R;
        f->g[m] += v_is_col ? push : -push;
        v = v_is_col ? k / f->C : f->R + k % f->C;
    }
    return push;
}

static int64_t maxflow(struct flow *f, size_t src, size_t dst)
{
    int64_t total = 0, p;
    memset(f->g, 0, f->n * sizeof *f->g);
    while ((p = augment(f, src, dst)) > 0 && total < f->inf)
        total += p;
    return total < f->inf ? total : f->inf;
}

static void interval_of(struct flow *f, const unsigned char *st, size_t k,
                        int64_t *lo, int64_t *hi)
{
    size_t i = k / f->C, j = k % f->C;
    int64_t x = f->x[k];
    if (st[k] == VG_PUBSTATS_SHOWN) {
        *lo = *hi = x;
        return;
    }
    flow_load(f, st, k);
    int64_t up = maxflow(f, f->R + j, i);
    int64_t down = maxflow(f, i, f->R + j);
    *lo = x - (down < x ? down : x);
    *hi = x + up;
}

enum vg_err vg_pubstats_interval(const int64_t *cells,
                                 const unsigned char *state, size_t rows,
                                 size_t cols, size_t i, size_t j, int64_t *lo,
                                 int64_t *hi)
{
    struct flow f;
    if (i >= rows || j >= cols)
        return VG_RANGE;
    enum vg_err e = flow_init(&f, cells, rows, cols) == 0 ? VG_OK : VG_NOMEM;
    if (e == VG_OK)
        interval_of(&f, state, i * cols + j, lo, hi);
    flow_free(&f);
    return e;
}

/* Suppressed cells in row r (pass 0) or column r (pass 1). */
static size_t line_count(const unsigned char *st, size_t R, size_t C,
                         int col, size_t r)
{
    size_t n = 0, len = col ? R : C;
    for (size_t p = 0; p < len; p++)
        n += st[col ? p * C + r : r * C + p] != VG_PUBSTATS_SHOWN;
    return n;
}

/* Is candidate k better than best?  Order: non-zero before zero; closing
 * (its crossing line already holds a suppressed cell, so no new lone cell
 * appears) before opening; then the smaller count, then the lower index. */
static int better(const int64_t *x, size_t k, int k_closes, size_t best,
                  int best_closes)
{
    if (best == (size_t)-1)
        return 1;
    if ((x[k] > 0) != (x[best] > 0))
        return x[k] > 0;
    if (k_closes != best_closes)
        return k_closes;
    return x[k] < x[best];
}

/* Rule 1: give every line with a single suppressed cell a second one.
 * Returns the number of cells added. */
static size_t complete_lines(const int64_t *x, size_t R, size_t C,
                             unsigned char *st)
{
    size_t added = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t nl = pass ? C : R, len = pass ? R : C;
        for (size_t l = 0; l < nl; l++) {
            if (line_count(st, R, C, pass, l) != 1)
                continue;
            size_t best = (size_t)-1;
            int best_closes = 0;
            for (size_t p = 0; p < len; p++) {
                size_t k = pass ? p * C + l : l * C + p;
                if (st[k] != VG_PUBSTATS_SHOWN)
                    continue;
                int closes = line_count(st, R, C, !pass, p) > 0;
                if (better(x, k, closes, best, best_closes))
                    best = k, best_closes = closes;
            }
            if (best != (size_t)-1) {
                st[best] = VG_PUBSTATS_COMPLEMENT;
                added++;
            }
        }
    }
    return added;
}

static int64_t width_of(struct flow *f, const unsigned char *st, size_t k)
{
    int64_t lo, hi;
    interval_of(f, st, k, &lo, &hi);
    return hi - lo;
}

/* Rule 2 for cell k: the best rectangle, applied to st.  0 if none helps. */
static int add_rectangle(struct flow *f, unsigned char *st, size_t k,
                         int64_t need, int64_t have)
{
    size_t R = f->R, C = f->C, i = k / C, j = k % C, best[3] = {0};
    int64_t best_cost = -1, best_w = have;
    int best_ok = 0;
    for (size_t i2 = 0; i2 < R; i2++)
        for (size_t j2 = 0; j2 < C; j2++) {
            if (i2 == i || j2 == j)
                continue;
            size_t c[3] = {i * C + j2, i2 * C + j, i2 * C + j2};
            int64_t cost = 0;
            int fresh = 0, zero = 0;
            for (int q = 0; q < 3; q++)
                if (st[c[q]] == VG_PUBSTATS_SHOWN) {
                    cost += f->x[c[q]];
                    zero |= f->x[c[q]] == 0;
                    fresh = 1;
                }
            if (!fresh || zero)
                continue;
            unsigned char old[3];
            for (int q = 0; q < 3; q++) {
                old[q] = st[c[q]];
                if (old[q] == VG_PUBSTATS_SHOWN)
                    st[c[q]] = VG_PUBSTATS_COMPLEMENT;
            }
            int64_t w = width_of(f, st, k);
            for (int q = 0; q < 3; q++)
                st[c[q]] = old[q];
            int ok = w >= need;
            if ((ok && (!best_ok || cost < best_cost)) ||
                (!ok && !best_ok && w > best_w)) {
                best_ok = ok, best_cost = cost, best_w = w;
                memcpy(best, c, sizeof c);
            }
        }
    if (best_w <= have)
        return 0;
    for (int q = 0; q < 3; q++)
        if (st[best[q]] == VG_PUBSTATS_SHOWN)
            st[best[q]] = VG_PUBSTATS_COMPLEMENT;
    return 1;
}

/* One sweep of rule 2; returns 1 if a rectangle was added. */
static int protect_sweep(struct flow *f, unsigned char *st, int64_t prot,
                         unsigned char *weak, size_t *nweak)
{
    size_t N = f->R * f->C;
    for (int pass = 0; pass < 2; pass++)  /* primaries first */
        for (size_t k = 0; k < N; k++) {
            int want = pass == 0 ? VG_PUBSTATS_PRIMARY : VG_PUBSTATS_COMPLEMENT;
            if (st[k] != want || weak[k])
                continue;
            int64_t need = want == VG_PUBSTATS_PRIMARY ? prot : 1;
            int64_t w = width_of(f, st, k);
            if (w >= need)
                continue;
            if (add_rectangle(f, st, k, need, w))
                return 1;
            weak[k] = 1;
            ++*nweak;
        }
    return 0;
}

enum vg_err vg_pubstats_suppress(const int64_t *cells, size_t rows,
                                 size_t cols, const struct vg_pubstats_opts *o,
                                 unsigned char *state,
                                 struct vg_pubstats_summary *sum,
                                 struct vg_diag *d)
{
    int64_t thr = o && o->threshold > 0 ? o->threshold : 5;
    int64_t prot = o && o->protection > 0 ? o->protection : thr;
    size_t N = rows * cols;
    struct flow f;
    unsigned char *weak = NULL;
    enum vg_err e = VG_OK;
    memset(sum, 0, sizeof *sum);
    memset(&f, 0, sizeof f);
    if (rows == 0 || cols == 0 || rows > VG_PUBSTATS_MAX_ROWS ||
        cols > VG_PUBSTATS_MAX_COLS)
        return vg_fail(d, VG_RANGE, "table", 0, 0,
                       "table of %zu x %zu: expected 1..%d rows and 1..%d "
                       "columns", rows, cols, VG_PUBSTATS_MAX_ROWS,
                       VG_PUBSTATS_MAX_COLS);
    for (size_t k = 0; k < N; k++) {
        if (cells[k] < 0 || cells[k] > INT64_MAX / (int64_t)(N + 1))
            return vg_fail(d, VG_RANGE, "table", k / cols + 1, k % cols + 1,
                           "count %lld: expected a non-negative count",
                           (long long)cells[k]);
        state[k] = cells[k] > 0 && cells[k] < thr ? VG_PUBSTATS_PRIMARY
                                                  : VG_PUBSTATS_SHOWN;
    }
    if (flow_init(&f, cells, rows, cols) != 0 ||
        (weak = vg_calloc(N, 1)) == NULL) {
        e = vg_fail(d, VG_NOMEM, "table", 0, 0, "no memory for %zu cells", N);
        goto out;
    }
    for (;;) {
        while (complete_lines(cells, rows, cols, state) > 0)
            ;
        if (!protect_sweep(&f, state, prot, weak, &sum->weak))
            break;
    }
    for (size_t k = 0; k < N; k++) {
        sum->primary += state[k] == VG_PUBSTATS_PRIMARY;
        sum->complement += state[k] == VG_PUBSTATS_COMPLEMENT;
        if (state[k] != VG_PUBSTATS_SHOWN)
            sum->suppressed_total += cells[k];
    }
out:
    vg_free(weak);
    flow_free(&f);
    return e;
}

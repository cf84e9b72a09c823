/*
 * store_bench.c — how fast a store hands events to the models: opens the
 * store at argv[1] (SQLite path or postgres:// URL), loads every event with
 * vg_store_events() `reps` times (argv[2], default 5) and prints the best
 * wall time and events/s.  bench/store.sh runs it on both back ends;
 * results in bench/README-store.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    struct vg_diag d;
    struct vg_store *s = NULL;
    vg_diag_clear(&d);
    if (argc < 2) {
        fprintf(stderr, "usage: store_bench STORE [REPS]\n");
        return 64;
    }
    int reps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
    if (vg_store_open(argv[1], 0, &s, &d) != VG_OK) {
        fprintf(stderr, "store_bench: %s: %s\n", d.file, d.msg);
        return 1;
    }
    double best = 1e9;
    size_t n = 0;
    for (int i = 0; i < reps; i++) {
        struct vg_events ev;
        double t0 = now_s();
        if (vg_store_events(s, NULL, &ev, &d) != VG_OK) {
            fprintf(stderr, "store_bench: %s\n", d.msg);
            vg_store_close(s);
            return 1;
        }
        double t = now_s() - t0;
        n = ev.n;
        vg_events_free(&ev);
        if (t < best)
            best = t;
    }
    printf("%s: %zu events loaded, best of %d: %.3f s = %.0f events/s\n",
           s->ops->scheme, n, reps, best, (double)n / best);
    vg_store_close(s);
    return 0;
}

/*
 * geo_locate.c — throughput of vg_areas_locate on Chicago's 77 community
 * areas: uniform points over the bounding box, a worst case of points
 * within 25 m of a boundary vertex (nearly all in boundary raster cells),
 * and the 148,636 real aggravated-assault locations 2010-2019 (repeated to
 * N points).
 * Build and run (from the repository root):
 *   make build/libvigie.a && cc -O2 -std=c11 -D_GNU_SOURCE -Isrc bench/geo_locate.c \
 *     build/libvigie.a $(pkg-config --libs proj geos jansson) -lm -pthread \
 *     -o build/geo_locate && build/geo_locate ../shared/data
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "geo/areas.h"
#include "geo/geojson.h"
#include "geo/proj.h"

#define N 4000000

static uint64_t rs = 1;
static double urand(void)
{
    uint64_t z = (rs += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

struct job {
    const struct vg_areas *a;
    const double *x, *y;
    size_t n;
    int32_t *out;
};

static void *run(void *p)
{
    struct job *j = p;
    vg_areas_locate_many(j->a, j->x, j->y, j->n, j->out);
    return NULL;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void measure(const char *what, const struct vg_areas *a, const double *x,
                    const double *y, int32_t *out, int nth)
{
    pthread_t th[8];
    struct job jb[8];
    size_t in = 0;
    double t0 = now();
    for (int t = 0; t < nth; t++) {
        size_t lo = (size_t)t * N / (size_t)nth, hi = (size_t)(t + 1) * N / (size_t)nth;
        jb[t] = (struct job){a, x + lo, y + lo, hi - lo, out + lo};
        pthread_create(&th[t], NULL, run, &jb[t]);
    }
    for (int t = 0; t < nth; t++)
        pthread_join(th[t], NULL);
    double s = now() - t0;
    for (size_t i = 0; i < N; i++)
        in += out[i] >= 0;
    printf("%-28s %d thread(s): %.1f M points/s (%.0f%% inside an area)\n", what, nth,
           N / s / 1e6, 100.0 * (double)in / N);
}

int main(int argc, char **argv)
{
    char path[1024];
    struct vg_areas *a = NULL;
    struct vg_geojson *g = NULL;
    struct vg_proj *p = NULL;
    struct vg_diag d;
    snprintf(path, sizeof path, "%s/boundaries/chicago/Chicago_2020.geojson",
             argc > 1 ? argv[1] : "../shared/data");
    struct vg_areas_spec s = {.path = path, .id_field = "area_numbe", .name_field = "community"};
    double t0 = now();
    if (vg_areas_load(&s, &a, &d) != VG_OK || vg_geojson_read(path, NULL, &g, &d) != VG_OK ||
        vg_areas_proj(a, &p, &d) != VG_OK) {
        char m[600];
        vg_diag_format(&d, m, sizeof m);
        fprintf(stderr, "geo_locate: %s\n", m);
        return 1;
    }
    printf("load + index %zu areas: %.2f s\n", a->n, now() - t0);
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    int32_t *out = malloc(N * sizeof *out);
    if (x == NULL || y == NULL || out == NULL)
        return 1;
    for (size_t i = 0; i < N; i++) {
        x[i] = a->bbox[0] + urand() * (a->bbox[2] - a->bbox[0]);
        y[i] = a->bbox[1] + urand() * (a->bbox[3] - a->bbox[1]);
    }
    vg_areas_locate_many(a, x, y, N, out); /* warm caches and pages */
    measure("uniform over bbox", a, x, y, out, 1);
    measure("uniform over bbox", a, x, y, out, 2);
    size_t nv = 0;
    for (size_t f = 0; f < g->n; f++) {
        vg_proj_trans_xy(p, g->f[f].geom.xy, g->f[f].geom.npt, 0);
        nv += g->f[f].geom.npt;
    }
    for (size_t i = 0; i < N; i++) {
        size_t k = (size_t)(urand() * (double)nv), f = 0;
        while (k >= g->f[f].geom.npt)
            k -= g->f[f++].geom.npt;
        x[i] = g->f[f].geom.xy[2 * k] + (urand() - 0.5) * 50;
        y[i] = g->f[f].geom.xy[2 * k + 1] + (urand() - 0.5) * 50;
    }
    measure("within 25 m of a boundary", a, x, y, out, 1);
    measure("within 25 m of a boundary", a, x, y, out, 2);
    snprintf(path, sizeof path,
             "%s/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv",
             argc > 1 ? argv[1] : "../shared/data");
    FILE *f = fopen(path, "r");
    char line[256];
    size_t m = 0;
    while (f != NULL && m < N && fgets(line, sizeof line, f) != NULL) {
        char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        char *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
        if (c3 == NULL || line[0] == 'd')
            continue;
        x[m] = strtod(c2 + 1, NULL);
        y[m] = strtod(c3 + 1, NULL);
        m++;
    }
    if (f != NULL)
        fclose(f);
    if (m > 0) {
        vg_proj_trans(p, x, y, m);
        for (size_t i = m; i < N; i++) {
            x[i] = x[i % m];
            y[i] = y[i % m];
        }
        printf("real assault locations: %zu distinct rows\n", m);
        measure("Chicago assaults 2010-19", a, x, y, out, 1);
        measure("Chicago assaults 2010-19", a, x, y, out, 2);
    }
    free(x);
    free(y);
    free(out);
    vg_proj_free(p);
    vg_geojson_free(g);
    vg_areas_free(a);
    return 0;
}

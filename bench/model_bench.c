/*
 * model_bench.c — fit/predict timings of every model on the Chicago
 * aggravated assaults (2010–2019) with a 150 m grid, plus a quick accuracy
 * figure (share of the next 28 days' events falling in the top 1 % of cells).
 *
 * Stand-alone until the store lands: reads the CSV directly, projects
 * lon/lat with a local equirectangular approximation around 41.84N 87.68W
 * (bench only; the product projects with PROJ), and takes as units the
 * cells holding at least one event of the whole file (bench only: the
 * product's grid comes from the study area).  Weather from O'Hare GHCND
 * (°F and inches converted to °C and mm).
 *
 *   make && cc -O2 -std=c11 -D_GNU_SOURCE -pthread -Isrc bench/model_bench.c \
 *       build/libvigie.a $(pkg-config --libs libsodium) -lm -o build/model_bench
 *   build/model_bench [DATA_DIR] [THREADS] [CUT=2018-01-01] [MODEL|all] [CELL_M=150]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/tz.h"
#include "model/model.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int load_events(const char *path, const struct vg_tz *tz, struct vg_events *ev)
{
    FILE *f = fopen(path, "r");
    char line[512];
    if (!f)
        return -1;
    int64_t id = 0;
    const double R = 6371008.8, lat0 = 41.84 * M_PI / 180, lon0 = -87.68;
    while (fgets(line, sizeof line, f)) {
        int y, mo, d, h, mi;
        char cat[64];
        double lon, lat;
        if (sscanf(line, "%d-%d-%d %d:%d,%63[^,],%lf,%lf", &y, &mo, &d, &h, &mi, cat,
                   &lon, &lat) != 8 || lon == 0 || lat == 0)
            continue;
        int64_t t;
        if (vg_tz_from_local(tz, y, mo, d, h, mi, 0, VG_TZ_EARLIER, &t) != VG_OK)
            continue;
        double x = R * cos(lat0) * (lon - lon0) * M_PI / 180, yy = R * (lat - 41.84) * M_PI / 180;
        vg_events_push(ev, ++id, t, t, x, yy, lon, lat, 0, -1, 0, 0);
    }
    fclose(f);
    return vg_events_sort(ev) == VG_OK ? 0 : -1;
}

static int load_weather(const char *path, struct vg_weather *w)
{
    FILE *f = fopen(path, "r");
    char line[512];
    if (!f)
        return -1;
    memset(w, 0, sizeof *w);
    w->day0 = vg_days_from_civil(1995, 1, 1);
    w->ndays = 25 * 366;
    w->tmax_c = malloc(w->ndays * sizeof(double));
    w->prcp_mm = malloc(w->ndays * sizeof(double));
    w->snow_mm = malloc(w->ndays * sizeof(double));
    for (size_t i = 0; i < w->ndays; i++)
        w->tmax_c[i] = w->prcp_mm[i] = w->snow_mm[i] = NAN;
    while (fgets(line, sizeof line, f)) {
        int y, m, d;
        char *p = strstr(line, "\",\"");
        if (!p || sscanf(p + 3, "%d-%d-%d", &y, &m, &d) != 3)
            continue;
        int64_t i = vg_days_from_civil(y, m, d) - w->day0;
        if (i < 0 || (size_t)i >= w->ndays)
            continue;
        /* fields: STATION,DATE,AWND,PRCP,SNOW,SNWD,TMAX,... */
        char *fld[10] = {0};
        int nf = 0;
        for (char *q = line; *q && nf < 10; q++)
            if (q == line || q[-1] == ',')
                fld[nf++] = q;
        double v;
        if (nf > 6) {
            if (sscanf(fld[3], "\"%lf", &v) == 1) w->prcp_mm[i] = v * 25.4;
            if (sscanf(fld[4], "\"%lf", &v) == 1) w->snow_mm[i] = v * 25.4;
            if (sscanf(fld[6], "\"%lf", &v) == 1) w->tmax_c[i] = (v - 32) * 5 / 9;
        }
    }
    fclose(f);
    return 0;
}

static int build_grid(const struct vg_events *ev, double cell, struct vg_units *u)
{
    double xmin = 1e300, ymin = 1e300, xmax = -1e300, ymax = -1e300;
    for (size_t i = 0; i < ev->n; i++) {
        xmin = fmin(xmin, ev->x[i]), xmax = fmax(xmax, ev->x[i]);
        ymin = fmin(ymin, ev->y[i]), ymax = fmax(ymax, ev->y[i]);
    }
    memset(u, 0, sizeof *u);
    u->kind = VG_UNITS_GRID;
    u->cell = cell;
    u->x0 = floor(xmin / cell) * cell;
    u->y0 = floor(ymin / cell) * cell;
    u->nx = (int32_t)((xmax - u->x0) / cell) + 1;
    u->ny = (int32_t)((ymax - u->y0) / cell) + 1;
    size_t nc = (size_t)u->nx * (size_t)u->ny;
    u->cell_unit = malloc(nc * sizeof(int32_t));
    for (size_t i = 0; i < nc; i++)
        u->cell_unit[i] = -1;
    for (size_t i = 0; i < ev->n; i++) {
        size_t c = (size_t)((ev->x[i] - u->x0) / cell), r = (size_t)((ev->y[i] - u->y0) / cell);
        u->cell_unit[r * (size_t)u->nx + c] = 0;
    }
    u->cx = malloc(nc * sizeof(double));
    u->cy = malloc(nc * sizeof(double));
    u->unit_col = malloc(nc * sizeof(int32_t));
    u->unit_row = malloc(nc * sizeof(int32_t));
    for (size_t i = 0; i < nc; i++)
        if (u->cell_unit[i] == 0) {
            u->unit_col[u->n] = (int32_t)(i % (size_t)u->nx);
            u->unit_row[u->n] = (int32_t)(i / (size_t)u->nx);
            u->cx[u->n] = u->x0 + (u->unit_col[u->n] + 0.5) * cell;
            u->cy[u->n] = u->y0 + (u->unit_row[u->n] + 0.5) * cell;
            u->cell_unit[i] = (int32_t)u->n++;
        }
    return 0;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = **(const double *const *)a, y = **(const double *const *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* share of the events of [t0, t1) that fall in the top 1 % of units */
static double top1(const struct vg_units *u, const struct vg_events *ev, const double *e,
                   int64_t t0, int64_t t1)
{
    const double **idx = malloc(u->n * sizeof *idx);
    char *top = calloc(u->n, 1);
    for (size_t i = 0; i < u->n; i++)
        idx[i] = &e[i];
    qsort(idx, u->n, sizeof *idx, cmp_desc);
    for (size_t k = 0; k < u->n / 100; k++)
        top[idx[k] - e] = 1;
    size_t hit = 0, tot = 0;
    for (size_t i = vg_events_before(ev, t0); i < vg_events_before(ev, t1); i++) {
        size_t c = (size_t)((ev->x[i] - u->x0) / u->cell), r = (size_t)((ev->y[i] - u->y0) / u->cell);
        int32_t un = u->cell_unit[r * (size_t)u->nx + c];
        tot++;
        hit += un >= 0 && top[un];
    }
    free(idx);
    free(top);
    return tot ? (double)hit / (double)tot : 0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "../shared/data";
    int threads = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 2;
    const char *cutd = argc > 3 ? argv[3] : "2018-01-01";
    const char *only = argc > 4 ? argv[4] : NULL;
    char path[1024];
    struct vg_diag d;
    const struct vg_tz *tz = vg_tz_get("America/Chicago", &d);
    struct vg_events all, past;
    struct vg_units u;
    struct vg_weather w;
    int y, m, dd;
    if (!tz || vg_parse_date(cutd, &y, &m, &dd) != VG_OK)
        return 2;
    vg_events_init(&all);
    snprintf(path, sizeof path, "%s/chicago-aggravated-assaults-2010-2019/chicago_aggravated_assaults.csv", dir);
    double t0 = now();
    if (load_events(path, tz, &all)) {
        fprintf(stderr, "cannot read %s\n", path);
        return 2;
    }
    snprintf(path, sizeof path, "%s/weather/chicago-ohare-ghcnd/USW00094846_1995-01-01_2019-04-28.csv", dir);
    int have_w = load_weather(path, &w) == 0;
    build_grid(&all, argc > 5 ? strtod(argv[5], NULL) : 150, &u);
    int64_t cut;
    vg_tz_from_local(tz, y, m, dd, 0, 0, 0, VG_TZ_EARLIER, &cut);
    vg_events_copy_before(&all, cut, NULL, 0, &past);
    printf("loaded %zu events (%zu before %s), %zu cells, weather %s, %.2f s\n",
           all.n, past.n, cutd, u.n, have_w ? "yes" : "no", now() - t0);
    struct vg_model_input in = {&past, &u, tz, have_w ? &w : NULL, NULL, cut, threads};
    double *e = malloc(u.n * sizeof *e);
    for (size_t k = 0; k < vg_model_count(); k++) {
        const struct vg_model_ops *mo = vg_model_at(k);
        double p[VG_MODEL_MAX_PARAMS];
        void *st = NULL;
        if (only && strcmp(only, "all") && strcmp(only, mo->name))
            continue;
        vg_model_params(mo, NULL, 0, p, &d);
        double a = now();
        if (mo->fit(&in, p, &st, &d) != VG_OK) {
            printf("%-12s fit failed: %s\n", mo->name, d.msg);
            continue;
        }
        double b = now();
        struct vg_window night;
        vg_tz_from_local(tz, y, m, dd, 20, 0, 0, VG_TZ_EARLIER, &night.start);
        night.end = night.start + 7 * 3600 + 1800;
        mo->predict(st, &in, &night, e, &d);
        double c = now(), s = 0;
        for (size_t i = 0; i < u.n; i++)
            s += e[i];
        struct vg_window month = {cut, cut + 28 * 86400};
        mo->predict(st, &in, &month, e, &d);
        printf("%-12s fit %7.3f s  predict %6.3f s  night total %6.2f  top1%%(28d) %.3f\n",
               mo->name, b - a, c - b, s, top1(&u, &all, e, month.start, month.end));
        if (mo->fitted) {
            const char *nm[64];
            double v[64];
            size_t n = mo->fitted(st, nm, v, 64);
            for (size_t i = 0; i < n; i++)
                printf("    %-16s %.6g\n", nm[i], v[i]);
        }
        mo->free(st);
    }
    free(e);
    vg_events_free(&past);
    vg_events_free(&all);
    return 0;
}

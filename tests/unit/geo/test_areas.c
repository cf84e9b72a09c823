/*
 * test_areas.c — area layers on real boundary files.
 *
 * Independent checks: a brute-force even-odd ray cast written here (no
 * raster, no row buckets, no GEOS) against vg_areas_locate; km² sums against
 * the `shape_area` attribute computed by the City of Chicago's GIS (square
 * US feet) and the 20.64 km² of PROVENANCE.md for Libourne's IRIS;
 * populations against sums done with python3's json module; the libpysal
 * copy in Illinois State Plane feet against the WGS84 copy.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../test.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "geo/areas.h"
#include "geo/geojson.h"
#include "geo/proj.h"

static char *data_path(const char *rel)
{
    static char p[4][1024];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", vg_test_data(), rel);
    return p[k];
}

static enum vg_err load_chicago(struct vg_areas **a, struct vg_diag *d)
{
    struct vg_areas_spec s = {
        .path = data_path("boundaries/chicago/Chicago_2020.geojson"),
        .id_field = "area_numbe", .name_field = "community",
        .pop_field = "TOT_POP"};
    return vg_areas_load(&s, a, d);
}

/* splitmix64: deterministic random points */
static uint64_t rng_state = 42;
static double urand(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

/* The reference: projected rings of every feature, ray cast over all. */
struct ref {
    struct vg_geojson *g;
};

static void ref_bbox(const struct vg_gj_geom *g, double *bb)
{
    bb[0] = bb[1] = INFINITY;
    bb[2] = bb[3] = -INFINITY;
    for (size_t k = 0; k < g->npt; k++) {
        bb[0] = fmin(bb[0], g->xy[2 * k]);
        bb[1] = fmin(bb[1], g->xy[2 * k + 1]);
        bb[2] = fmax(bb[2], g->xy[2 * k]);
        bb[3] = fmax(bb[3], g->xy[2 * k + 1]);
    }
}

static int ref_inside(const struct vg_gj_geom *g, const double *bb, double x,
                      double y)
{
    int c = 0;
    if (x < bb[0] || x > bb[2] || y < bb[1] || y > bb[3])
        return 0;
    for (size_t r = 0; r < g->nring; r++) {
        size_t a = g->ring_pt[r], b = g->ring_pt[r + 1];
        for (size_t i = a, j = b - 1; i < b; j = i++) {
            double xi = g->xy[2 * i], yi = g->xy[2 * i + 1];
            double xj = g->xy[2 * j], yj = g->xy[2 * j + 1];
            if (((yi > y) != (yj > y)) && (x < (xj - xi) * (y - yi) / (yj - yi) + xi))
                c = !c;
        }
    }
    return c;
}

TEST(areas_chicago_locate_vs_raycast)
{
    struct vg_areas *a = NULL;
    struct vg_geojson *g = NULL;
    struct vg_proj *p = NULL;
    struct vg_diag d;
    size_t n = 100000, in = 0, bad = 0;
    REQUIRE(load_chicago(&a, &d) == VG_OK);
    CHECK_EQ_INT(a->n, 77);
    CHECK_STR(a->crs, "EPSG:32616");
    REQUIRE(vg_geojson_read(data_path("boundaries/chicago/Chicago_2020.geojson"),
                            NULL, &g, &d) == VG_OK);
    REQUIRE(vg_proj_new("EPSG:4326", "EPSG:32616", &p, &d) == VG_OK);
    double bb[77][4];
    REQUIRE(g->n == 77);
    for (size_t i = 0; i < g->n; i++) {
        vg_proj_trans_xy(p, g->f[i].geom.xy, g->f[i].geom.npt, 0);
        ref_bbox(&g->f[i].geom, bb[i]);
    }
    for (size_t k = 0; k < n; k++) {
        double x = a->bbox[0] + urand() * (a->bbox[2] - a->bbox[0]);
        double y = a->bbox[1] + urand() * (a->bbox[3] - a->bbox[1]);
        int32_t got = vg_areas_locate(a, x, y);
        int any = 0, ok = 0;
        for (size_t i = 0; i < g->n; i++)
            if (ref_inside(&g->f[i].geom, bb[i], x, y)) {
                any = 1;
                ok |= (got == (int32_t)i);
            }
        in += any;
        if (any ? !ok : got != -1)
            bad++;
    }
    CHECK_EQ_INT(bad, 0);
    /* bbox 0.3 x 0.4 degrees: the city covers a bit more than half of it */
    CHECK(in > n / 3 && in < n * 9 / 10);
    printf("     %zu of %zu random points inside an area, %zu disagreements\n", in, n, bad);
    CHECK_EQ_INT(vg_areas_locate(a, NAN, 0), -1);
    CHECK_EQ_INT(vg_areas_locate(a, a->bbox[0] - 1, a->bbox[1]), -1);
    vg_proj_free(p);
    vg_geojson_free(g);
    vg_areas_free(a);
}

TEST(areas_chicago_attributes)
{
    struct vg_areas *a = NULL;
    struct vg_geojson *g = NULL;
    struct vg_diag d;
    double pop = 0, ref = 0;
    REQUIRE(load_chicago(&a, &d) == VG_OK);
    REQUIRE(vg_geojson_read(data_path("boundaries/chicago/Chicago_2020.geojson"),
                            NULL, &g, &d) == VG_OK);
    for (size_t i = 0; i < a->n; i++) {
        double sa;
        REQUIRE(vg_geojson_prop_num(g, i, "shape_area", &sa, &d) == VG_OK);
        sa *= 0.09290341161327487 / 1e6; /* US survey ft² -> km² */
        ref += sa;
        /* UTM 16N at Chicago shrinks areas by ~0.07 %; digitisation adds
         * a little more. */
        CHECK_NEAR(a->km2[i], sa, 0.01 * sa);
        pop += a->pop[i];
    }
    /* python3: sum(f['properties']['shape_area']) * 0.0929034 / 1e6 = 598.14 */
    CHECK_NEAR(ref, 598.14, 0.01);
    CHECK_NEAR(a->km2_total, ref, 0.005 * ref);
    CHECK_NEAR(pop, 2708500, 0.5); /* python3: sum of TOT_POP */
    CHECK_STR(a->id[0], "35");
    CHECK_STR(a->name[0], "DOUGLAS");
    printf("     Chicago: %zu areas, %.2f km² (city GIS shape_area: %.2f km²)\n", a->n,
           a->km2_total, ref);
    vg_geojson_free(g);
    vg_areas_free(a);
}

TEST(areas_libourne_iris)
{
    struct vg_areas *a = NULL;
    struct vg_diag d;
    struct vg_areas_spec s = {
        .path = data_path("boundaries/france-libourne/iris-2020-libourne-33243-from-z9-tiles.geojson"),
        .id_field = "CODE_IRIS", .name_field = "NOM_IRIS"};
    REQUIRE(vg_areas_load(&s, &a, &d) == VG_OK);
    CHECK_EQ_INT(a->n, 9);
    CHECK_STR(a->crs, "EPSG:2154");
    CHECK_NEAR(a->km2_total, 20.64, 0.02);
    CHECK(isnan(a->pop[0]));
    /* Libourne town hall (lon -0.2434, lat 44.9152): cs2cs -> 444107.21,
     * 6429256.73 in Lambert-93; it is in an IRIS of Libourne. */
    int32_t k = vg_areas_locate(a, 444107.214434, 6429256.732506);
    CHECK(k >= 0);
    if (k >= 0)
        CHECK(strncmp(a->id[k], "33243", 5) == 0);
    vg_areas_free(a);
}

/* The same 77 areas digitised in Illinois State Plane East (US feet).  The
 * two files are different editions of the boundaries: their own
 * area attributes differ by up to 4.6 % per area (Loop) but agree on the
 * total (python3 over both files).  So each layer is checked against its
 * own attribute, and the two layers against each other in total. */
TEST(areas_libpysal_state_plane_feet)
{
    struct vg_areas *a = NULL, *b = NULL;
    struct vg_diag d;
    struct vg_areas_spec s = {
        .path = data_path("boundaries/chicago/Chicago77_community_areas_libpysal.geojson"),
        .id_field = "AREA_NUMBE", .name_field = "COMMUNITY", .src_crs = "EPSG:3435",
        .study_crs = "EPSG:32616"};
    struct vg_geojson *g = NULL;
    REQUIRE(vg_areas_load(&s, &b, &d) == VG_OK);
    REQUIRE(load_chicago(&a, &d) == VG_OK);
    REQUIRE(vg_geojson_read(s.path, NULL, &g, &d) == VG_OK);
    REQUIRE(a->n == b->n);
    size_t same = 0, in = 0;
    for (size_t i = 0; i < b->n; i++) {
        size_t j = 0;
        while (j < a->n && strcmp(a->id[j], b->id[i]) != 0)
            j++;
        REQUIRE(j < a->n);
        CHECK_STR(a->name[j], b->name[i]);
        double sa;
        REQUIRE(vg_geojson_prop_num(g, i, "SHAPE_AREA", &sa, &d) == VG_OK);
        sa *= 0.09290341161327487 / 1e6; /* US survey ft² -> km² */
        CHECK_NEAR(b->km2[i], sa, 0.003 * sa);
        CHECK_NEAR(b->km2[i], a->km2[j], 0.05 * a->km2[j]);
    }
    vg_geojson_free(g);
    CHECK_NEAR(b->km2_total, a->km2_total, 0.002 * a->km2_total);
    for (size_t k = 0; k < 20000; k++) {
        double x = a->bbox[0] + urand() * (a->bbox[2] - a->bbox[0]);
        double y = a->bbox[1] + urand() * (a->bbox[3] - a->bbox[1]);
        int32_t ia = vg_areas_locate(a, x, y), ib = vg_areas_locate(b, x, y);
        if (ia < 0 && ib < 0)
            continue;
        in++;
        same += ia >= 0 && ib >= 0 && strcmp(a->id[ia], b->id[ib]) == 0;
    }
    /* the two digitisations differ by a few metres along the edges */
    CHECK(same > in * 99 / 100);
    printf("     libpysal (EPSG:3435): %.2f km² vs %.2f; %zu/%zu points agree\n",
           b->km2_total, a->km2_total, same, in);
    vg_areas_free(a);
    vg_areas_free(b);
}

TEST(areas_roundtrip_features)
{
    struct vg_areas *a = NULL, *b = NULL;
    struct vg_diag d;
    struct vg_buf buf[77];
    const char *texts[77];
    REQUIRE(load_chicago(&a, &d) == VG_OK);
    REQUIRE(a->n == 77);
    for (size_t i = 0; i < a->n; i++) {
        vg_buf_init(&buf[i], 0);
        CHECK_EQ_INT(vg_areas_feature_geojson(a, i, &buf[i]), VG_OK);
        texts[i] = buf[i].p;
    }
    const char *head = "{\"type\":\"Feature\",\"properties\":{\"id\":\"35\","
                       "\"name\":\"DOUGLAS\",\"population\":21325},\"geometry\":"
                       "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[-87.60914087617894,";
    CHECK(strncmp(texts[0], head, strlen(head)) == 0);
    REQUIRE(vg_areas_from_features(texts, NULL, a->n, NULL, "store", &b, &d) == VG_OK);
    CHECK_STR(b->crs, a->crs);
    for (size_t i = 0; i < a->n; i++) {
        CHECK_STR(a->id[i], b->id[i]);
        CHECK_STR(a->name[i], b->name[i]);
        CHECK(a->pop[i] == b->pop[i]);
        CHECK(a->km2[i] == b->km2[i]);
        CHECK(a->minx[i] == b->minx[i] && a->maxy[i] == b->maxy[i]);
        vg_buf_free(&buf[i]);
    }
    for (size_t k = 0; k < 20000; k++) {
        double x = a->bbox[0] + urand() * (a->bbox[2] - a->bbox[0]);
        double y = a->bbox[1] + urand() * (a->bbox[3] - a->bbox[1]);
        CHECK_EQ_INT(vg_areas_locate(a, x, y), vg_areas_locate(b, x, y));
    }
    vg_areas_free(b);
    const char *bad[1] = {"{\"type\":\"Feature\",\"properties\":{\"name\":\"x\"},"
                          "\"geometry\":null}"};
    CHECK_EQ_INT(vg_areas_from_features(bad, NULL, 1, NULL, "store", &b, &d), VG_PARSE);
    CHECK(strstr(d.msg, "property \"id\" missing") != NULL);
    vg_areas_free(a);
}

TEST(areas_errors)
{
    struct vg_areas *a = NULL;
    struct vg_diag d;
    char msg[600];
    struct vg_areas_spec s = {
        .path = data_path("boundaries/chicago/Chicago_2020.geojson"),
        .id_field = "area_numbr"};
    CHECK_EQ_INT(vg_areas_load(&s, &a, &d), VG_PARSE);
    CHECK(a == NULL);
    vg_diag_format(&d, msg, sizeof msg);
    CHECK(strstr(msg, "Chicago_2020.geojson: feature 0: property \"area_numbr\" missing") != NULL);
    s.id_field = "area_numbe";
    s.pop_field = "community";
    CHECK_EQ_INT(vg_areas_load(&s, &a, &d), VG_PARSE);
    CHECK(strstr(d.msg, "is not a number") != NULL);
    /* feet read as degrees: no study CRS can be chosen */
    s.path = data_path("boundaries/chicago/Chicago77_community_areas_libpysal.geojson");
    s.id_field = "AREA_NUMBE";
    s.pop_field = NULL;
    CHECK_EQ_INT(vg_areas_load(&s, &a, &d), VG_RANGE);
    CHECK(strstr(d.msg, "give the source CRS") != NULL);
}

TEST(areas_union_outline)
{
    struct vg_areas *a = NULL;
    struct vg_diag d;
    struct vg_buf b;
    REQUIRE(load_chicago(&a, &d) == VG_OK);
    vg_buf_init(&b, 0);
    CHECK_EQ_INT(vg_areas_union_geojson(a, &b, &d), VG_OK);
    CHECK(strncmp(b.p, "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[-87.", 44) == 0);
    /* reparse the outline and compare its area with the sum of the parts */
    char *doc = NULL;
    struct vg_buf w;
    vg_buf_init(&w, 0);
    vg_buf_printf(&w, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
                      "\"Feature\",\"properties\":{\"id\":1},\"geometry\":%s}]}", b.p);
    doc = w.p;
    struct vg_areas *u = NULL;
    char path[1100];
    snprintf(path, sizeof path, "%s/chicago_union.geojson", vg_test_tmpdir());
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs(doc, f);
    fclose(f);
    struct vg_areas_spec s = {.path = path, .id_field = "id", .study_crs = a->crs};
    REQUIRE(vg_areas_load(&s, &u, &d) == VG_OK);
    CHECK_NEAR(u->km2_total, a->km2_total, 0.005 * a->km2_total);
    CHECK_NEAR(a->bbox_ll[0], -87.94, 0.01);
    CHECK_NEAR(a->bbox_ll[3], 42.02, 0.01);
    vg_areas_free(u);
    vg_buf_free(&w);
    vg_buf_free(&b);
    vg_areas_free(a);
}

struct tjob {
    const struct vg_areas *a;
    const double *x, *y;
    size_t n;
    int32_t *out;
};

static void *locate_job(void *p)
{
    struct tjob *j = p;
    vg_areas_locate_many(j->a, j->x, j->y, j->n, j->out);
    return NULL;
}

/* 4 threads at once give the single-thread answers; prints throughput. */
TEST(areas_locate_threads_and_speed)
{
    struct vg_areas *a = NULL;
    struct vg_diag d;
    size_t n = 1000000;
    REQUIRE(load_chicago(&a, &d) == VG_OK);
    double *x = vg_calloc(n, sizeof *x), *y = vg_calloc(n, sizeof *y);
    int32_t *r1 = vg_calloc(n, sizeof *r1), *r4 = vg_calloc(n, sizeof *r4);
    REQUIRE(x && y && r1 && r4);
    for (size_t k = 0; k < n; k++) {
        x[k] = a->bbox[0] + urand() * (a->bbox[2] - a->bbox[0]);
        y[k] = a->bbox[1] + urand() * (a->bbox[3] - a->bbox[1]);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    vg_areas_locate_many(a, x, y, n, r1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    printf("     locate: %zu uniform points in %.3f s = %.1f M points/s (1 thread)\n",
           n, s, (double)n / s / 1e6);
    pthread_t th[4];
    struct tjob jobs[4];
    for (int t = 0; t < 4; t++) {
        jobs[t] = (struct tjob){a, x + t * (n / 4), y + t * (n / 4), n / 4, r4 + t * (n / 4)};
        pthread_create(&th[t], NULL, locate_job, &jobs[t]);
    }
    for (int t = 0; t < 4; t++)
        pthread_join(th[t], NULL);
    CHECK(memcmp(r1, r4, n * sizeof *r1) == 0);
    vg_free(x);
    vg_free(y);
    vg_free(r1);
    vg_free(r4);
    vg_areas_free(a);
}

/* Split the CSV line in place: the first 4 fields (never quoted in this
 * file) and the last 4 (numbers), skipping the quoted ones in between. */
static int sf_fields(char *line, const char **cat, double last[4])
{
    char *f[4] = {0};
    char *p = line;
    for (int k = 0; k < 4; k++) {
        f[k] = p;
        p = strchr(p, ',');
        if (p == NULL)
            return 0;
        *p++ = '\0';
    }
    *cat = f[3];
    char *end = line + strlen(p) + (size_t)(p - line);
    for (int k = 3; k >= 0; k--) {
        char *c = end;
        while (c > p && c[-1] != ',')
            c--;
        last[k] = strtod(c, NULL);
        if (c == p)
            return 0;
        end = c - 1;
    }
    return 1;
}

/* GeoDa's SF block groups carry per-category counts of the SFPD points
 * (an independent spatial join); counting the same points with
 * vg_areas_locate must give the same table up to points lying exactly on
 * a shared edge, which the two joins may assign differently. */
TEST(areas_sf_counts_vs_geoda)
{
    static const char *cats[4] = {"VANDALISM", "ROBBERY", "DRUG/NARCOTIC", "VEHICLE THEFT"};
    static const char *keys[4] = {"Vandalism", "Robbery", "Drugs", "CarTheft"};
    struct vg_areas *a = NULL;
    struct vg_geojson *g = NULL;
    struct vg_proj *p = NULL;
    struct vg_diag d;
    struct vg_areas_spec s = {.path = data_path("sf-crime-2012H2-geoda/SFCrime_blocks.geojson"),
                              .id_field = "GEO_ID", .pop_field = "Population"};
    REQUIRE(vg_areas_load(&s, &a, &d) == VG_OK);
    CHECK_STR(a->crs, "EPSG:32610");
    REQUIRE(vg_geojson_read(s.path, NULL, &g, &d) == VG_OK);
    REQUIRE(vg_areas_proj(a, &p, &d) == VG_OK);
    int32_t *cnt = vg_calloc(a->n * 4, sizeof *cnt);
    FILE *f = fopen(data_path("sf-crime-2012H2-geoda/sf_crime_2012_jul_dec.csv"), "r");
    REQUIRE(cnt != NULL && f != NULL);
    char line[1024];
    size_t rows = 0, outside = 0;
    fgets(line, sizeof line, f);
    while (fgets(line, sizeof line, f) != NULL) {
        const char *cat;
        double v[4];
        line[strcspn(line, "\r\n")] = '\0';
        if (!sf_fields(line, &cat, v))
            continue;
        int c = 0;
        while (c < 4 && strcmp(cat, cats[c]) != 0)
            c++;
        REQUIRE(c < 4);
        double x = v[0], y = v[1];
        vg_proj_trans(p, &x, &y, 1);
        int32_t k = vg_areas_locate(a, x, y);
        rows++;
        if (k < 0)
            outside++;
        else
            cnt[k * 4 + c]++;
    }
    fclose(f);
    CHECK_EQ_INT(rows, 13472);
    size_t same = 0;
    long diff = 0;
    for (size_t i = 0; i < a->n; i++) {
        int eq = 1;
        for (int c = 0; c < 4; c++) {
            double ref;
            REQUIRE(vg_geojson_prop_num(g, i, keys[c], &ref, &d) == VG_OK);
            diff += labs((long)ref - cnt[i * 4 + c]);
            eq &= (long)ref == cnt[i * 4 + c];
        }
        same += eq;
    }
    printf("     SF: %zu points, %zu outside; %zu/%zu block groups match GeoDa's "
           "counts exactly, total |diff| %ld\n", rows, outside, same, a->n, diff);
    CHECK(same >= a->n * 97 / 100);
    CHECK(diff <= 60);
    vg_free(cnt);
    vg_proj_free(p);
    vg_geojson_free(g);
    vg_areas_free(a);
}

/* Every allocation of a small layer's build failing in turn fails cleanly
 * (no leak under ASan, no crash) with VG_NOMEM, and the build eventually
 * succeeds. */
TEST(areas_alloc_failures)
{
    struct vg_areas_spec s = {
        .path = data_path("boundaries/france-libourne/iris-2020-libourne-33243-from-z9-tiles.geojson"),
        .id_field = "CODE_IRIS", .name_field = "NOM_IRIS"};
    size_t k;
    for (k = 0; k < 2000; k++) {
        struct vg_areas *a = NULL;
        struct vg_diag d;
        vg_alloc_fail_after(k);
        enum vg_err rc = vg_areas_load(&s, &a, &d);
        vg_alloc_fail_after((size_t)-1);
        if (rc == VG_OK) {
            CHECK(a != NULL);
            vg_areas_free(a);
            break;
        }
        CHECK(a == NULL);
        if (rc != VG_NOMEM && rc != VG_IO && rc != VG_PROJ && rc != VG_GEOM)
            vg_test_fail(__FILE__, __LINE__, "allocation %zu: %s (%s)", k,
                         vg_strerror(rc), d.msg);
    }
    CHECK(k < 2000);
}

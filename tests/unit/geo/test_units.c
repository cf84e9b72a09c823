/*
 * test_units.c — grid and area units.
 *
 * Exact checks on a hand-made layer (a 1 km square with a 300 m hole, in
 * UTM 31N metres, whose cell counts and km² are worked out by hand below),
 * and coverage checks on Chicago: every random point inside an area falls
 * in a kept cell, the cells' km² add up to the areas' km² (computed by a
 * different path: GEOS area of each polygon), and a Monte-Carlo estimate
 * of the study area's share of each cell agrees with the cells' km².
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../test.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "geo/areas.h"
#include "geo/proj.h"
#include "geo/units.h"

static uint64_t rs = 7;
static double urand(void)
{
    uint64_t z = (rs += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

/* Square 500010..501010 x 5000010..5001010 (EPSG:32631), hole
 * 500300..500600 x 5000300..5000600. */
static struct vg_areas *square_layer(void)
{
    const char *doc =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
        "\"properties\":{\"id\":\"sq\",\"pop\":100},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[500010,5000010],[501010,5000010],[501010,5001010],"
        "[500010,5001010],[500010,5000010]],[[500300,5000300],[500300,5000600],"
        "[500600,5000600],[500600,5000300],[500300,5000300]]]}}]}";
    char path[1100];
    struct vg_areas *a = NULL;
    struct vg_diag d;
    snprintf(path, sizeof path, "%s/square.geojson", vg_test_tmpdir());
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return NULL;
    fputs(doc, f);
    fclose(f);
    struct vg_areas_spec s = {.path = path, .id_field = "id", .pop_field = "pop",
                              .src_crs = "EPSG:32631", .study_crs = "EPSG:32631"};
    if (vg_areas_load(&s, &a, &d) != VG_OK)
        return NULL;
    return a;
}

TEST(units_square_by_hand)
{
    struct vg_areas *a = square_layer();
    struct vg_units u;
    struct vg_diag d;
    REQUIRE(a != NULL);
    CHECK_NEAR(a->km2_total, 1.0 - 0.09, 1e-9);
    /* No offset: origin floor(500010/150)*150 = 499950; columns end at
     * 499950 + 8*150 = 501150 > 501010, so 8 x 8 cells touch the square;
     * cell c3r3 (500400..500550 in x and 5000400..5000550 in y) lies
     * entirely in the hole 500300..500600, leaving 63. */
    REQUIRE(vg_units_grid(a, NULL, 150, 0, 0, &u, &d) == VG_OK);
    CHECK_EQ_INT(u.nx, 8);
    CHECK_EQ_INT(u.ny, 8);
    CHECK_EQ_INT(u.n, 63);
    CHECK_NEAR(u.x0, 499950, 1e-9);
    CHECK_NEAR(u.km2[0], 0.09 * 0.09, 1e-9); /* 90 m x 90 m corner */
    double sum = 0;
    for (size_t i = 0; i < u.n; i++)
        sum += u.km2[i];
    CHECK_NEAR(sum, 0.91, 1e-8);
    CHECK_STR(u.label[9], "r1c1");
    CHECK_EQ_INT(vg_units_locate(&u, 500100, 5000100), 9);
    CHECK_EQ_INT(vg_units_locate(&u, 499949, 5000100), -1);
    CHECK_EQ_INT(vg_units_locate(&u, NAN, 5000100), -1);
    vg_units_free(&u);
    /* Offset 50 m: origin 500000, lines at 500300, 500450, 500600 so the
     * hole is exactly cells c2..c3 x r2..r3: 7 x 7 - 4 = 45 cells. */
    REQUIRE(vg_units_grid(a, NULL, 150, 50, 50, &u, &d) == VG_OK);
    CHECK_EQ_INT(u.nx, 7);
    CHECK_EQ_INT(u.n, 45);
    CHECK_NEAR(u.km2[0], 0.14 * 0.14, 1e-9);
    CHECK_NEAR(u.km2[u.n - 1], 0.11 * 0.11, 1e-9); /* top-right corner */
    CHECK_EQ_INT(vg_units_locate(&u, 500350, 5000350), -1); /* in the hole */
    CHECK_EQ_INT(u.area[0], 0);
    /* offsets are taken modulo the cell: 200 m == 50 m */
    struct vg_units v;
    REQUIRE(vg_units_grid(a, NULL, 150, 200, -100, &v, &d) == VG_OK);
    CHECK_EQ_INT(v.n, 45);
    CHECK_NEAR(v.x0, u.x0, 1e-9);
    vg_units_free(&v);
    vg_units_free(&u);
    CHECK_EQ_INT(vg_units_grid(a, NULL, 0.5, 0, 0, &u, &d), VG_RANGE);
    vg_units_free(NULL);
    vg_areas_free(a);
}

TEST(units_chicago_coverage)
{
    char path[1024];
    struct vg_areas *a = NULL;
    struct vg_units u;
    struct vg_proj *p = NULL;
    struct vg_diag d;
    snprintf(path, sizeof path, "%s/boundaries/chicago/Chicago_2020.geojson", vg_test_data());
    struct vg_areas_spec s = {.path = path, .id_field = "area_numbe", .name_field = "community"};
    REQUIRE(vg_areas_load(&s, &a, &d) == VG_OK);
    REQUIRE(vg_areas_proj(a, &p, &d) == VG_OK);
    CHECK_EQ_INT(vg_units_grid(a, p, 1, 0, 0, &u, &d), VG_LIMIT);
    REQUIRE(vg_units_grid(a, p, 150, 0, 0, &u, &d) == VG_OK);
    double sum = 0, cell_km2 = 0.15 * 0.15;
    size_t full = 0, noarea = 0;
    for (size_t i = 0; i < u.n; i++) {
        noarea += u.area[i] < 0;
        sum += u.km2[i];
        full += u.km2[i] > cell_km2 * (1 - 1e-9);
        CHECK(u.km2[i] <= cell_km2 * (1 + 1e-9));
        CHECK_EQ_INT(u.cell_unit[u.unit_row[i] * u.nx + u.unit_col[i]], (long long)i);
    }
    /* the union drops the slivers where neighbouring areas overlap */
    CHECK_NEAR(sum, a->km2_total, 0.001 * a->km2_total);
    CHECK((double)u.n * cell_km2 >= sum);
    CHECK_EQ_INT(noarea, 0);
    printf("     Chicago 150 m grid: %zu cells (%zu full, %zu without area), %.2f km² "
           "(areas: %.2f)\n", u.n, full, noarea, sum, a->km2_total);
    /* coverage and Monte-Carlo share of the study area */
    size_t inside = 0, lost = 0, n = 200000;
    for (size_t k = 0; k < n; k++) {
        double x = a->bbox[0] + urand() * (a->bbox[2] - a->bbox[0]);
        double y = a->bbox[1] + urand() * (a->bbox[3] - a->bbox[1]);
        if (vg_areas_locate(a, x, y) >= 0) {
            inside++;
            lost += vg_units_locate(&u, x, y) < 0;
        }
    }
    CHECK_EQ_INT(lost, 0);
    double bbox_km2 = (a->bbox[2] - a->bbox[0]) * (a->bbox[3] - a->bbox[1]) / 1e6;
    double mc = bbox_km2 * (double)inside / (double)n;
    /* binomial sd: bbox_km2 * sqrt(p(1-p)/n) ~ 1.3 km²; allow 4 sd */
    CHECK_NEAR(mc, sum, 5.5);
    /* centroid of a full cell is the cell centre; lon/lat via cs2cs-checked
     * projection (test_proj.c) */
    for (size_t i = 0; i < u.n; i++)
        if (u.km2[i] > cell_km2 * (1 - 1e-9)) {
            double x = u.x0 + (u.unit_col[i] + 0.5) * u.cell;
            double y = u.y0 + (u.unit_row[i] + 0.5) * u.cell;
            CHECK_NEAR(u.cx[i], x, 1e-6);
            CHECK_NEAR(u.cy[i], y, 1e-6);
            CHECK(u.area[i] >= 0);
            vg_proj_inv(p, &x, &y, 1);
            CHECK_NEAR(u.lon[i], x, 1e-12);
            CHECK_NEAR(u.lat[i], y, 1e-12);
            /* GeoJSON outline: 5 lon/lat positions around the centroid */
            struct vg_buf b;
            vg_buf_init(&b, 0);
            CHECK_EQ_INT(vg_units_geojson_geometry(&u, p, i, &b), VG_OK);
            json_t *j = json_loads(b.p, 0, NULL);
            json_t *ring = json_array_get(json_object_get(j, "coordinates"), 0);
            CHECK_EQ_INT(json_array_size(ring), 5);
            double lon0 = json_number_value(json_array_get(json_array_get(ring, 0), 0));
            double lat2 = json_number_value(json_array_get(json_array_get(ring, 2), 1));
            CHECK(lon0 < u.lon[i] && lat2 > u.lat[i]);
            CHECK_NEAR(lon0, u.lon[i], 0.0015);
            json_decref(j);
            vg_buf_free(&b);
            break;
        }
    vg_units_free(&u);
    vg_proj_free(p);
    vg_areas_free(a);
}

TEST(units_from_areas)
{
    char path[1024];
    struct vg_areas *a = NULL;
    struct vg_units u;
    struct vg_diag d;
    snprintf(path, sizeof path, "%s/boundaries/france-libourne/iris-2020-libourne-33243-from-z9-tiles.geojson",
             vg_test_data());
    struct vg_areas_spec s = {.path = path, .id_field = "CODE_IRIS", .name_field = "NOM_IRIS"};
    REQUIRE(vg_areas_load(&s, &a, &d) == VG_OK);
    REQUIRE(vg_units_from_areas(a, &u, &d) == VG_OK);
    CHECK_EQ_INT(u.kind, VG_UNITS_AREAS);
    CHECK_EQ_INT(u.n, 9);
    CHECK_STR(u.crs, "EPSG:2154");
    for (size_t i = 0; i < u.n; i++) {
        CHECK_STR(u.label[i], a->id[i]);
        CHECK(u.km2[i] == a->km2[i]);
        /* Libourne: lon -0.263 .. -0.203, lat 44.87 .. 44.95 (PROVENANCE) */
        CHECK(u.lon[i] > -0.27 && u.lon[i] < -0.19);
        CHECK(u.lat[i] > 44.86 && u.lat[i] < 44.96);
    }
    CHECK_EQ_INT(vg_units_locate(&u, 444107.214434, 6429256.732506),
                 vg_areas_locate(a, 444107.214434, 6429256.732506));
    struct vg_buf b;
    vg_buf_init(&b, 0);
    CHECK_EQ_INT(vg_units_geojson_geometry(&u, NULL, 0, &b), VG_OK);
    CHECK(strncmp(b.p, "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[-0.", 43) == 0);
    vg_buf_free(&b);
    vg_units_free(&u);
    vg_areas_free(a);
}

TEST(units_alloc_failures)
{
    struct vg_areas *a = square_layer();
    REQUIRE(a != NULL);
    size_t k;
    for (k = 0; k < 1000; k++) {
        struct vg_units u;
        struct vg_diag d;
        vg_alloc_fail_after(k);
        enum vg_err rc = vg_units_grid(a, NULL, 150, 50, 50, &u, &d);
        vg_alloc_fail_after((size_t)-1);
        if (rc == VG_OK) {
            CHECK_EQ_INT(u.n, 45);
            vg_units_free(&u);
            break;
        }
        CHECK(u.cx == NULL && u.n == 0);
    }
    CHECK(k < 1000);
    vg_areas_free(a);
}

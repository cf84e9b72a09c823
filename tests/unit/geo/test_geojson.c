/*
 * test_geojson.c — FeatureCollection reader: geometry layout, properties,
 * limits and error messages, on hand-written documents.
 */
#include <math.h>
#include <string.h>

#include "../../test.h"
#include "base/alloc.h"
#include "geo/geojson.h"

static const char two[] =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"id\":7,\"nom\":\"A\",\"pop\":\"12.5\",\"x\":null},\n"
    " \"geometry\":{\"type\":\"Polygon\",\"coordinates\":[\n"
    "  [[0,0],[10,0],[10,10],[0,10],[0,0]],\n"
    "  [[2,2],[4,2],[4,4]]]}},\n" /* hole left open: gets closed */
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"b\",\"nom\":\"B\",\"pop\":3,\"r\":0.25},\n"
    " \"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[\n"
    "  [[[20,0,5],[30,0,5],[30,10,5],[20,0,5]]],\n"
    "  [[[40,0],[50,0],[50,10],[40,0]]]]}}]}";

static enum vg_err parse(const char *t, struct vg_geojson **g,
                         struct vg_diag *d)
{
    return vg_geojson_parse(t, strlen(t), "t.geojson", NULL, g, d);
}

TEST(geojson_layout)
{
    struct vg_geojson *g = NULL;
    struct vg_diag d;
    REQUIRE(parse(two, &g, &d) == VG_OK);
    CHECK_EQ_INT(g->n, 2);
    const struct vg_gj_geom *a = &g->f[0].geom, *b = &g->f[1].geom;
    CHECK_EQ_INT(a->npoly, 1);
    CHECK_EQ_INT(a->nring, 2);
    CHECK_EQ_INT(a->npt, 9); /* 5 + 3 + 1 closing point */
    CHECK_EQ_INT(a->ring_pt[1], 5);
    CHECK_EQ_INT(a->ring_pt[2], 9);
    CHECK(a->xy[2 * 8] == 2 && a->xy[2 * 8 + 1] == 2);
    CHECK_EQ_INT(b->npoly, 2);
    CHECK_EQ_INT(b->nring, 2);
    CHECK_EQ_INT(b->poly_ring[1], 1);
    CHECK_EQ_INT(b->npt, 8);
    CHECK(b->xy[2] == 30 && b->xy[3] == 0); /* z dropped */
    CHECK(b->xy[2 * 4] == 40);
    vg_geojson_free(g);
}

TEST(geojson_props)
{
    struct vg_geojson *g = NULL;
    struct vg_diag d;
    char s[16];
    double v;
    REQUIRE(parse(two, &g, &d) == VG_OK);
    CHECK_EQ_INT(vg_geojson_prop_str(g, 0, "id", s, sizeof s, &d), VG_OK);
    CHECK_STR(s, "7");
    CHECK_EQ_INT(vg_geojson_prop_str(g, 1, "id", s, sizeof s, &d), VG_OK);
    CHECK_STR(s, "b");
    CHECK_EQ_INT(vg_geojson_prop_str(g, 1, "r", s, sizeof s, &d), VG_OK);
    CHECK_STR(s, "0.25");
    CHECK_EQ_INT(vg_geojson_prop_num(g, 0, "pop", &v, &d), VG_OK);
    CHECK(v == 12.5);
    CHECK_EQ_INT(vg_geojson_prop_num(g, 1, "pop", &v, &d), VG_OK);
    CHECK(v == 3);
    CHECK_EQ_INT(vg_geojson_prop_num(g, 0, "x", &v, &d), VG_OK);
    CHECK(isnan(v));
    CHECK_EQ_INT(vg_geojson_prop_num(g, 0, "nom", &v, &d), VG_PARSE);
    CHECK_EQ_INT(vg_geojson_prop_str(g, 1, "area_numbe", s, sizeof s, &d), VG_PARSE);
    char msg[512];
    vg_diag_format(&d, msg, sizeof msg);
    CHECK_STR(msg, "t.geojson: feature 1: property \"area_numbe\" missing");
    CHECK_EQ_INT(vg_geojson_prop_str(g, 0, "x", s, sizeof s, &d), VG_PARSE);
    CHECK_EQ_INT(vg_geojson_prop_str(g, 0, "nom", s, 1, &d), VG_PARSE);
    vg_geojson_free(g);
}

static void expect_fail(const char *t, enum vg_err code, const char *frag)
{
    struct vg_geojson *g = NULL;
    struct vg_diag d;
    char msg[512];
    CHECK_EQ_INT(parse(t, &g, &d), code);
    CHECK(g == NULL);
    vg_diag_format(&d, msg, sizeof msg);
    if (strstr(msg, frag) == NULL)
        vg_test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", msg, frag);
    vg_geojson_free(g);
}

TEST(geojson_errors)
{
    expect_fail("{\"type\":\"FeatureCollection\",\"features\":[\n{]}", VG_PARSE,
                "t.geojson:2:");
    expect_fail("[1]", VG_PARSE, "not a FeatureCollection");
    expect_fail("{\"type\":\"FeatureCollection\",\"features\":{}}", VG_PARSE,
                "not an array");
    expect_fail("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                "\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}}]}",
                VG_GEOM, "feature 0: geometry type \"Point\"");
    expect_fail("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                "\"properties\":{},\"geometry\":null}]}",
                VG_GEOM, "feature 0: geometry is null");
    expect_fail("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                "\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                "[[[0,0],[1,0],[0,0]]]}}]}",
                VG_GEOM, "at least 4");
    expect_fail("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                "\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                "[[[0,0],[1,\"a\"],[1,1],[0,0]]]}}]}",
                VG_GEOM, "position 1");
    expect_fail("{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
                VG_LIMIT, "deeper than 32");
}

TEST(geojson_limits)
{
    struct vg_geojson *g = NULL;
    struct vg_diag d;
    struct vg_geojson_limits l = vg_geojson_default_limits;
    l.max_vertices = 12;
    CHECK_EQ_INT(vg_geojson_parse(two, strlen(two), "t", &l, &g, &d), VG_LIMIT);
    CHECK(strstr(d.msg, "feature 1") != NULL);
    l = vg_geojson_default_limits;
    l.max_features = 1;
    CHECK_EQ_INT(vg_geojson_parse(two, strlen(two), "t", &l, &g, &d), VG_LIMIT);
    l = vg_geojson_default_limits;
    l.max_bytes = 100;
    CHECK_EQ_INT(vg_geojson_parse(two, strlen(two), "t", &l, &g, &d), VG_LIMIT);
    CHECK_EQ_INT(vg_geojson_read("/nonexistent/x.geojson", NULL, &g, &d), VG_IO);
    CHECK(g == NULL);
}

/* Every allocation failing in turn must fail cleanly (ASan checks leaks). */
TEST(geojson_alloc_failures)
{
    for (size_t k = 0; k < 40; k++) {
        struct vg_geojson *g = NULL;
        struct vg_diag d;
        vg_alloc_fail_after(k);
        enum vg_err rc = parse(two, &g, &d);
        vg_alloc_fail_after((size_t)-1);
        CHECK(rc == VG_OK || rc == VG_NOMEM);
        CHECK((rc == VG_OK) == (g != NULL));
        vg_geojson_free(g);
    }
}

TEST(geojson_real_files)
{
    char p[1024];
    struct vg_geojson *g = NULL;
    struct vg_diag d;
    snprintf(p, sizeof p, "%s/boundaries/chicago/Chicago_2020.geojson", vg_test_data());
    REQUIRE(vg_geojson_read(p, NULL, &g, &d) == VG_OK);
    CHECK_EQ_INT(g->n, 77);
    size_t npt = 0;
    for (size_t i = 0; i < g->n; i++)
        npt += g->f[i].geom.npt;
    CHECK_EQ_INT(npt, 52641); /* counted with python3 json over every ring */
    vg_geojson_free(g);
}

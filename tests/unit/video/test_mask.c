/* Unit tests of mask.c: parsing limits and the scanline fill, checked
 * against hand-counted pixels and the shoelace area. */
#include "../../test.h"

#include <stdint.h>
#include <stdlib.h>

#include "video/mask.h"

TEST(mask_parse_ok_and_errors)
{
    struct vg_poly p;
    struct vg_diag d;
    CHECK(vg_mask_parse("10,10 20,10 20,20 10,20", &p, &d) == VG_OK);
    CHECK_EQ_INT(p.n, 4);
    CHECK_EQ_INT(p.x[2], 20);
    CHECK_NEAR(vg_mask_area2(&p), 200, 0); /* 10 x 10, counter-clockwise */
    CHECK(vg_mask_parse("10,10 20,10", &p, &d) == VG_GEOM);
    CHECK(vg_mask_parse("1,1 2,2 3,3", &p, &d) == VG_GEOM); /* collinear */
    CHECK(vg_mask_parse("10,10 x,1 3,4", &p, &d) == VG_PARSE);
    CHECK(vg_mask_parse("10,10 -1,1 3,4", &p, &d) == VG_PARSE);
    CHECK(vg_mask_parse("10,10 99999,1 3,4", &p, &d) == VG_PARSE);
    char big[VG_MASK_MAX_PTS * 12 + 32];
    size_t off = 0;
    for (int i = 0; i <= VG_MASK_MAX_PTS; i++)
        off += (size_t)snprintf(big + off, sizeof big - off, "%d,%d ", i,
                                i * i % 97);
    CHECK(vg_mask_parse(big, &p, &d) == VG_LIMIT);
    char txt[128];
    CHECK(vg_mask_parse("1,2;3,4;5,9", &p, &d) == VG_OK);
    vg_mask_format(&p, txt, sizeof txt);
    CHECK_STR(txt, "1,2 3,4 5,9");
}

static size_t count(const uint8_t *plane, int w, int h, uint8_t v)
{
    size_t n = 0;
    for (int i = 0; i < w * h; i++)
        n += plane[i] == v;
    return n;
}

TEST(mask_fill_rectangle_exact)
{
    /* pixels whose centre lies in [10,20) x [10,20): exactly columns and
     * rows 10..19, 100 pixels, nothing else */
    int w = 64, h = 48;
    uint8_t *y = malloc((size_t)(w * h));
    REQUIRE(y != NULL);
    memset(y, 200, (size_t)(w * h));
    struct vg_poly p;
    REQUIRE(vg_mask_parse("10,10 20,10 20,20 10,20", &p, NULL) == VG_OK);
    vg_mask_fill_plane(y, w, w, h, &p, 0, 16);
    CHECK_EQ_INT(count(y, w, h, 16), 100);
    CHECK(y[10 * w + 10] == 16 && y[19 * w + 19] == 16);
    CHECK(y[9 * w + 10] == 200 && y[10 * w + 20] == 200);
    free(y);
}

TEST(mask_fill_area_matches_shoelace)
{
    /* a concave polygon: the count of filled pixels approaches the exact
     * area; the difference is bounded by the perimeter (each boundary pixel
     * is in or out by at most one) */
    int w = 400, h = 300;
    uint8_t *y = calloc((size_t)(w * h), 1);
    REQUIRE(y != NULL);
    struct vg_poly p;
    REQUIRE(vg_mask_parse("20,20 380,40 200,150 360,280 30,250", &p, NULL) ==
            VG_OK);
    vg_mask_fill_plane(y, w, w, h, &p, 0, 16);
    double area = fabs(vg_mask_area2(&p)) / 2;
    double perim = 0;
    for (size_t i = 0, j = p.n - 1; i < p.n; j = i++)
        perim += hypot(p.x[i] - p.x[j], p.y[i] - p.y[j]);
    double got = (double)count(y, w, h, 16);
    CHECK(fabs(got - area) < perim / 2);
    CHECK(fabs(got - area) / area < 0.01);
    /* the notch at (300,150) is outside (concave part), (100,150) inside */
    CHECK(y[150 * w + 300] == 0);
    CHECK(y[150 * w + 100] == 16);
    free(y);
}

TEST(mask_chroma_covers_luma)
{
    /* every masked luma pixel's chroma sample must be masked too */
    int w = 101, h = 77, cw = 51, ch = 39;
    uint8_t *yp = calloc((size_t)(w * h), 1), *u = calloc((size_t)(cw * ch), 1),
            *v = calloc((size_t)(cw * ch), 1);
    REQUIRE(yp && u && v);
    struct vg_poly p[2];
    REQUIRE(vg_mask_parse("3,5 60,9 41,70", &p[0], NULL) == VG_OK);
    REQUIRE(vg_mask_parse("70,0 101,0 101,77 90,77", &p[1], NULL) == VG_OK);
    uint8_t *data[3] = {yp, u, v};
    int ls[3] = {w, cw, cw};
    vg_mask_apply_yuv420(data, ls, w, h, p, 2);
    size_t bad = 0;
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++)
            if (yp[j * w + i] == VG_MASK_Y &&
                (u[(j / 2) * cw + i / 2] != VG_MASK_UV ||
                 v[(j / 2) * cw + i / 2] != VG_MASK_UV))
                bad++;
    CHECK_EQ_INT(bad, 0);
    CHECK(count(yp, w, h, VG_MASK_Y) > 500);
    /* clipped to the plane: the right-edge polygon reaches column 100 */
    CHECK(yp[40 * w + 100] == VG_MASK_Y);
    free(yp), free(u), free(v);
}

TEST(mask_fill_outside_frame_is_clipped)
{
    int w = 16, h = 16;
    uint8_t y[16 * 16];
    memset(y, 1, sizeof y);
    struct vg_poly p;
    REQUIRE(vg_mask_parse("8,8 1000,8 1000,1000 8,1000", &p, NULL) == VG_OK);
    vg_mask_fill_plane(y, w, w, h, &p, 0, 16);
    CHECK_EQ_INT(count(y, w, h, 16), 64);
}

/*
 * fuzz_geojson.c — libFuzzer target for the GeoJSON polygon reader
 * (geo/geojson.c): parse with small limits, then read every feature's
 * properties as text and as numbers.  Any crash, leak or sanitizer report
 * is a bug; parse errors are expected.
 */
#include <stddef.h>
#include <stdint.h>

#include "geo/geojson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *keys[] = {"id", "name", "pop", "CODE_IRIS", ""};
    struct vg_geojson_limits lim = vg_geojson_default_limits;
    struct vg_geojson *g = NULL;
    struct vg_diag d;
    char buf[64];
    double v;

    lim.max_bytes = 1 << 20;
    lim.max_vertices = 100000;
    lim.max_features = 1000;
    if (vg_geojson_parse((const char *)data, size, "fuzz", &lim, &g, &d) != VG_OK)
        return 0;
    for (size_t i = 0; i < g->n; i++) {
        const struct vg_gj_geom *gm = &g->f[i].geom;
        /* invariants the rest of geo/ relies on */
        if (gm->ring_pt[gm->nring] != gm->npt || gm->poly_ring[gm->npoly] != gm->nring)
            __builtin_trap();
        for (size_t r = 0; r < gm->nring; r++) {
            size_t a = gm->ring_pt[r], b = gm->ring_pt[r + 1];
            if (b - a < 4 || gm->xy[2 * a] != gm->xy[2 * b - 2] ||
                gm->xy[2 * a + 1] != gm->xy[2 * b - 1])
                __builtin_trap();
        }
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            vg_geojson_prop_str(g, i, keys[k], buf, sizeof buf, &d);
            vg_geojson_prop_num(g, i, keys[k], &v, &d);
        }
    }
    vg_geojson_free(g);
    return 0;
}

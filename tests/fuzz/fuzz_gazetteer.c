/*
 * fuzz_gazetteer.c — libFuzzer target for the gazetteer CSV parser and the
 * lookup.  Input = CSV text; the part after a line "--" is the query.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/gazetteer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *q = "rue gambetta";
    size_t cl = size, ql = strlen(q);
    for (size_t i = 0; i + 4 <= size; i++)
        if (memcmp(s + i, "\n--\n", 4) == 0) {
            cl = i + 1;
            q = s + i + 4;
            ql = size - i - 4;
            break;
        }
    struct vg_gazetteer *g = NULL;
    struct vg_diag d;
    if (vg_gazetteer_parse(s, cl, "fuzz", &g, &d) != VG_OK)
        return 0;
    struct vg_gaz_match m;
    if (vg_gazetteer_lookup(g, q, ql, &m, &d) == VG_OK &&
        (m.name == NULL || !(m.score > 0 && m.score <= 1)))
        abort();
    vg_gazetteer_free(g);
    return 0;
}

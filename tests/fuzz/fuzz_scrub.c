/*
 * fuzz_scrub.c — libFuzzer target for the personal-data scrubber.  The first
 * byte picks the policy (source, house-number flag, first-name list on/off);
 * the rest is the text.  Checks the invariants that hold for any input: the
 * call succeeds, the hit spans are inside the input, ordered and disjoint,
 * and nothing is written for health/social sources.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ingest/scrub.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char names_txt[] = "Jean\nMarie\nPierre\nÉlodie\nKévin\n";
    static struct vg_scrub_names *nm;
    if (nm == NULL && vg_scrub_names_parse(names_txt, sizeof names_txt - 1,
                                           "fuzz", &nm, NULL) != VG_OK)
        abort();
    if (size == 0)
        return 0;
    struct vg_scrub_policy p = {(enum vg_scrub_source)(data[0] & 3),
                                (data[0] & 4) ? VG_SCRUB_HOUSE_NUMBERS : 0u,
                                (data[0] & 8) ? nm : NULL, 0};
    const char *in = (const char *)data + 1;
    size_t len = size - 1;
    struct vg_scrub_hit hits[64];
    struct vg_scrub_stats st = {.hits = hits, .hits_cap = 64};
    struct vg_buf out;
    vg_buf_init(&out, 0);
    if (vg_scrub(&p, in, len, &out, &st) != VG_OK)
        abort();
    if ((p.source == VG_SCRUB_SRC_PARTNER_HEALTH ||
         p.source == VG_SCRUB_SRC_PARTNER_SOCIAL) && (out.len != 0 || !st.dropped))
        abort();
    size_t prev_end = 0, n = st.nhits < 64 ? st.nhits : 64;
    for (size_t k = 0; k < n; k++) {
        if (hits[k].off < prev_end || hits[k].len == 0 ||
            hits[k].off + hits[k].len > len)
            abort();
        prev_end = hits[k].off + hits[k].len;
    }
    vg_buf_free(&out);
    return 0;
}

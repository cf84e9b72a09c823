/* libFuzzer target: the import-profile parser over arbitrary text. */
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "ingest/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_profile *p = NULL;
    struct vg_diag d;
    if (vg_profile_parse("fuzz", (const char *)data, size, &p, &d) == VG_OK) {
        struct vg_str hdr[3] = {{"a", 1}, {"date", 4}, {"#2", 2}};
        vg_profile_bind(p, hdr, 3, "fuzz.csv", &d);
        vg_profile_map(p->crosswalk, p->ncrosswalk, "x", 1);
        vg_profile_free(p);
    }
    return 0;
}

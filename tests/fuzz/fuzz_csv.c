/* libFuzzer target: the streaming CSV reader over arbitrary bytes, with the
 * first byte choosing the delimiter and a small record limit. */
#include <stddef.h>
#include <stdint.h>

#include "ingest/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char delims[] = ",;\t|";
    struct vg_csv_opts o = {delims[data[0] & 3], (data[0] & 4) ? '\'' : '"', 4096};
    struct vg_csv *c = NULL;
    struct vg_diag d;
    if (vg_csv_open_mem("fuzz", (const char *)data + 1, size - 1, &o, &c, &d))
        return 0;
    struct vg_csv_row row;
    int eof = 0;
    for (int guard = 0; guard < 100000 && !eof; guard++) {
        enum vg_err e = vg_csv_next(c, &row, &eof, &d);
        if (e != VG_OK && e != VG_LIMIT && e != VG_PARSE)
            break;
        if (e == VG_PARSE)
            break;
        for (size_t i = 0; e == VG_OK && !eof && i < row.nfields; i++)
            if (row.field[i].len && row.field[i].p[row.field[i].len - 1] == 0x7f)
                guard++;
    }
    vg_csv_close(c);
    return 0;
}

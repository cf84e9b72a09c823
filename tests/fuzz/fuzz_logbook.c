/*
 * fuzz_logbook.c — libFuzzer target for the logbook record parsers: one
 * JSON Lines record (vg_logbook_jsonl_fields) and the local-time parser
 * (vg_logbook_time, Europe/Paris).  Each input line is fed to both; the
 * built-in logbook-csv column names are used (profile text inlined so the
 * target does not depend on the working directory).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ingest/logbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char prof_text[] =
    "[format]\nkind = logbook\n[time]\ntimezone = Europe/Paris\nformat = iso\n"
    "[columns]\nid = id\nreported = reported_at\nstart = occurred_from\n"
    "end = occurred_to\nsource = source\norigin = origin\nplace = place\n"
    "lon = lon\nlat = lat\ncategory = category\ntext = text\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct vg_profile *p;
    static const struct vg_tz *tz;
    struct vg_diag d;
    if (p == NULL && vg_profile_parse("fuzz", prof_text, sizeof prof_text - 1, &p, &d) != VG_OK)
        abort();
    if (tz == NULL && (tz = vg_tz_get("Europe/Paris", &d)) == NULL)
        abort();
    struct vg_logbook_fields f;
    vg_buf_init(&f.mem, 0);
    const char *s = (const char *)data;
    size_t i = 0;
    while (i < size) {
        size_t j = i;
        while (j < size && s[j] != '\n')
            j++;
        if (vg_logbook_jsonl_fields(p, s + i, j - i, &f, &d) == VG_OK) {
            for (int k = 0; k < VG_COL__COUNT; k++)
                if (f.f[k].len && (f.f[k].p < f.mem.p || f.f[k].p + f.f[k].len > f.mem.p + f.mem.len))
                    abort(); /* fields must point into the record's memory */
        }
        int64_t t;
        int known;
        char why[300];
        if (vg_logbook_time(&p->fmt_start, tz, s + i, j - i, &t, &known, why, sizeof why) == VG_OK &&
            (known != 0 && known != 1))
            abort();
        i = j + 1;
    }
    vg_buf_free(&f.mem);
    return 0;
}

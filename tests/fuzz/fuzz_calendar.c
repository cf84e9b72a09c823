/* fuzz_calendar.c — libFuzzer target for the school-holiday file parser
 * (model/calendar.c): any bytes must parse or fail cleanly, never crash. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "model/calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_calendar c;
    struct vg_diag d;
    char *text = vg_malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    vg_calendar_init(&c);
    if (vg_calendar_parse_school(text, "fuzz", &c, &d) == VG_OK && c.n > 0) {
        (void)vg_calendar_school(&c, c.from[0]);
        (void)vg_calendar_school(&c, c.to[c.n - 1] + 1);
    }
    vg_calendar_free(&c);
    vg_free(text);
    return 0;
}

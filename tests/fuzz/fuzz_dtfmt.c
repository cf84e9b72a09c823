/*
 * fuzz_dtfmt.c — libFuzzer target for the date-format compiler and parser.
 * The first byte picks a named format or, when >= 4, the input's first line
 * is a pattern to compile and the rest the text to parse.  Checks that a
 * successful parse yields a calendar-valid date and in-range fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/dtfmt.h"

static int valid(const struct vg_dt *t)
{
    static const int dim[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (t->year % 4 == 0 && t->year % 100 != 0) || t->year % 400 == 0;
    if (t->year < 1 || t->year > 9999 || t->month < 1 || t->month > 12 ||
        t->day < 1 || t->day > dim[t->month - 1] ||
        (t->month == 2 && t->day == 29 && !leap))
        return 0;
    return t->hour >= 0 && t->hour <= 23 && t->min >= 0 && t->min <= 59 &&
           t->sec >= 0 && t->sec <= 59 && t->offset >= -14 * 3600 &&
           t->offset <= 14 * 3600;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *names[] = {"iso", "fr", "us12", "compact"};
    struct vg_dtfmt f;
    struct vg_dt t;
    const char *why = NULL;
    char pat[80];
    if (size == 0)
        return 0;
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    if (data[0] < 4) {
        if (vg_dtfmt_compile(names[data[0]], &f, NULL) != 0)
            abort();
    } else {
        const char *nl = memchr(s, '\n', len);
        size_t pl = nl ? (size_t)(nl - s) : len;
        if (pl >= sizeof pat)
            return 0;
        memcpy(pat, s, pl);
        pat[pl] = '\0';
        if (memchr(pat, '\0', pl) != NULL ||
            vg_dtfmt_compile(pat, &f, NULL) != VG_OK)
            return 0;
        s += nl ? pl + 1 : pl;
        len -= nl ? pl + 1 : pl;
    }
    if (vg_dtfmt_parse(&f, s, len, &t, &why) == VG_OK) {
        if (why != NULL || !valid(&t))
            abort();
    } else if (why == NULL || why[0] == '\0') {
        abort();
    }
    return 0;
}

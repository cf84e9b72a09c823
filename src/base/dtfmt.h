/*
 * dtfmt.h — fast parsing of date/time fields with a compiled format.
 *
 * A format is a strptime-like pattern compiled once per import:
 *   %Y 4-digit year   %m month 1-2 digits   %d day 1-2 digits
 *   %H hour 0-23      %I hour 1-12          %M minute   %S second
 *   %p AM/PM (case-insensitive)   %z "Z", "+02:00", "+0200" or "-05"
 *   %f optional fractional seconds (".123"), %% a literal '%'
 *   any other byte must match itself; a space matches one or more spaces.
 * Trailing optional part: a pattern may end with "[...]" whose contents are
 * optional (e.g. "%Y-%m-%d[ %H:%M[:%S]]" accepts a date alone).
 * Named formats: "iso" = "%Y-%m-%d[[T| ]%H:%M[:%S[%f]][%z]]" (T or space),
 * "fr" = "%d/%m/%Y[ %H:%M[:%S]]", "us12" = "%m/%d/%Y %I:%M[:%S] %p",
 * "compact" = "%Y%m%d[%H%M[%S]]".
 * Rules the compiler enforces: %Y, %m and %d must appear outside optional
 * groups; %I needs %p (and excludes %H).  %M and %S take exactly 2 digits,
 * as does a 1-2 digit field directly followed by another number (compact).
 * "[a|b]" with single bytes is a required one-of set, not an optional part.
 * Parsing never allocates and is thread-safe on a compiled format.
 */
#ifndef VG_DTFMT_H
#define VG_DTFMT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define VG_DTFMT_MAX 48

struct vg_dtfmt {
    unsigned char op[VG_DTFMT_MAX]; /* compiled instructions (private) */
    unsigned char arg[VG_DTFMT_MAX];
    size_t nop;
    char text[64]; /* the source pattern, for messages */
};

struct vg_dt {
    int year, month, day, hour, min, sec;
    int has_time;   /* 0 when only a date was given */
    int has_offset; /* 1 when the text carried a zone designator */
    int32_t offset; /* seconds east of UTC when has_offset */
};

/* Compile a pattern or a named format.  Fails with VG_PARSE naming it. */
enum vg_err vg_dtfmt_compile(const char *pattern, struct vg_dtfmt *out,
                             struct vg_diag *d);
/* Parse s[0..len).  On failure returns VG_PARSE and, if `why` is not NULL,
 * points it at a static phrase ("month 13 out of range", "expected AM/PM").
 * The whole input must be consumed (surrounding spaces are ignored).
 * Calendar validity is checked (no 31 April, 29 February only in leap years). */
enum vg_err vg_dtfmt_parse(const struct vg_dtfmt *f, const char *s, size_t len,
                           struct vg_dt *out, const char **why);

#endif

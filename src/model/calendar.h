/*
 * calendar.h — French public holidays (fixed dates and those moving with
 * Easter, computed, never tabulated) and optional school-holiday periods
 * read from a small text file.  Days are day numbers since 1970-01-01
 * (local dates).  The struct owns its arrays; vg_calendar_free releases them.
 */
#ifndef VG_CALENDAR_H
#define VG_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct vg_calendar {
    size_t n;              /* school-holiday periods */
    int64_t *from, *to;    /* inclusive day ranges, sorted by `from` */
    int public_holidays;   /* 1: French public holidays apply (default) */
};

/* Easter Sunday of `year` (Gregorian, Meeus/Jones/Butcher algorithm) as a
 * day number. */
int64_t vg_calendar_easter(int year);
/* 1 if `day` is a French public holiday (1 Jan, Easter Monday, 1 May,
 * 8 May, Ascension, Whit Monday, 14 Jul, 15 Aug, 1 Nov, 11 Nov, 25 Dec). */
int vg_calendar_french_holiday(int64_t day);
/* Public holiday according to `c` (NULL → French rules). */
int vg_calendar_public(const struct vg_calendar *c, int64_t day);
/* 1 if `day` lies in a school-holiday period of `c` (0 when c is NULL). */
int vg_calendar_school(const struct vg_calendar *c, int64_t day);

void vg_calendar_init(struct vg_calendar *c);
/* Read school-holiday periods, one per line "YYYY-MM-DD YYYY-MM-DD"
 * (first and last day, inclusive; '#' starts a comment; at most 10,000
 * lines of 200 bytes).  Errors name the file, line and bad value. */
enum vg_err vg_calendar_load_school(const char *path, struct vg_calendar *c,
                                    struct vg_diag *d);
/* Same, from a NUL-terminated text buffer (`name` used in messages). */
enum vg_err vg_calendar_parse_school(const char *text, const char *name,
                                     struct vg_calendar *c, struct vg_diag *d);
void vg_calendar_free(struct vg_calendar *c);

#endif

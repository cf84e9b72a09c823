/*
 * tz.h — civil time, IANA time zones and patrol-shift windows.
 *
 * Instants are int64 seconds since 1970-01-01T00:00:00Z ("UTC seconds").
 * Zones are read from the system's compiled tz database
 * (/usr/share/zoneinfo, Debian package tzdata; TZif v2+ with the POSIX
 * footer rule used past the last transition), so DST is exact for Europe/Paris
 * and America/Chicago in every year.  A loaded zone is immutable and may be
 * shared between threads.  vg_tz_get() caches zones for the process lifetime.
 */
#ifndef VG_TZ_H
#define VG_TZ_H

#include <stdint.h>

#include "base/err.h"

struct vg_tz;

/* Broken-down civil time (no zone). month 1..12, day 1..31, weekday
 * 1 = Monday … 7 = Sunday (ISO), yday 0..365. */
struct vg_civil {
    int year, month, day, hour, min, sec;
    int weekday, yday;
};

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t vg_days_from_civil(int y, int m, int d);
void vg_civil_from_days(int64_t days, int *y, int *m, int *d);
/* ISO weekday (1 = Monday) of a day number. */
int vg_weekday_of_days(int64_t days);
/* ISO 8601 week: year and week number of a day number. */
void vg_iso_week(int64_t days, int *iso_year, int *week);

/* Load (and cache) a zone by IANA name, e.g. "Europe/Paris"; "UTC" always
 * works.  Returns NULL and fills `d` if the name is unknown. */
const struct vg_tz *vg_tz_get(const char *name, struct vg_diag *d);
const char *vg_tz_name(const struct vg_tz *tz);

/* UTC offset in seconds (local = utc + offset) in force at instant `t`. */
int32_t vg_tz_offset(const struct vg_tz *tz, int64_t t);
/* Local civil time of instant `t`, and the offset used. */
void vg_tz_to_local(const struct vg_tz *tz, int64_t t, struct vg_civil *out,
                    int32_t *offset);
/* Local calendar day of instant `t` (days since 1970-01-01 of the local
 * date), i.e. vg_days_from_civil of vg_tz_to_local's date. */
int64_t vg_tz_local_day(const struct vg_tz *tz, int64_t t);

/* How to resolve a local wall-clock time that does not exist (spring-forward
 * gap) or exists twice (fall-back overlap). */
enum vg_tz_resolve {
    VG_TZ_EARLIER, /* overlap: first occurrence (DST); gap: shift forward */
    VG_TZ_LATER,   /* overlap: second occurrence (standard time) */
    VG_TZ_STRICT   /* fail with VG_RANGE on a gap or an overlap */
};

/* Instant of local wall-clock time y-m-d h:mi:s in `tz`.  In a gap the
 * result is the instant the clock jumped to plus the missing minutes
 * (02:30 on a spring-forward night becomes 03:30), unless STRICT. */
enum vg_err vg_tz_from_local(const struct vg_tz *tz, int y, int mo, int d,
                             int h, int mi, int s, enum vg_tz_resolve how,
                             int64_t *out);

/* Format instant `t` as ISO 8601 with the zone's offset,
 * "2018-03-25T20:00:00+02:00", into `out` (>= 26 bytes). */
void vg_tz_format_iso(const struct vg_tz *tz, int64_t t, char *out,
                      unsigned cap);
/* Instant t as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into out; returns out. */
const char *vg_utc_iso(int64_t t, char out[24]);
/* The first instant of local calendar day `day` (days since 1970-01-01 of
 * the local date): midnight, or the end of a DST gap at midnight.  tz NULL
 * = UTC. */
int64_t vg_tz_day_start(const struct vg_tz *tz, int64_t day);

/* A patrol shift: local start and end wall-clock times in minutes after
 * midnight; end <= start means it ends on the next day. */
struct vg_shift {
    int start_min, end_min;
};

/* Parse "night" (20:00–03:30), "day" (07:00–20:00) or "HH:MM-HH:MM".
 * Also accepts the French "nuit"/"jour", and "24:00" as an end time.
 * Fails with VG_PARSE naming the spec. */
enum vg_err vg_shift_parse(const char *spec, struct vg_shift *out,
                           struct vg_diag *d);

/* The [start, end) UTC instants of `shift` beginning on local date y-m-d in
 * `tz`.  Crossing midnight and DST changes are handled: the 20:00–03:30
 * shift starting 2018-10-27 in Europe/Paris lasts 8.5 h.  Each end is the
 * first moment the wall clock shows it (VG_TZ_EARLIER); VG_RANGE if the
 * date is not a calendar date. */
enum vg_err vg_shift_window(const struct vg_tz *tz, const struct vg_shift *s,
                            int y, int m, int d, int64_t *start, int64_t *end);

/* Parse "YYYY-MM-DD" exactly (10 bytes, then NUL).  VG_PARSE on any other
 * shape, VG_RANGE for a non-existent date (2019-02-29, 2018-04-31). */
enum vg_err vg_parse_date(const char *s, int *y, int *m, int *d);

#endif

/*
 * stats.h — neighbourhood statistics: counts grouped by up to 4 keys, with
 * share, rates per km² and per 1,000 inhabitants, and changes against the
 * previous period and the same period a year before.
 *
 * Comparison periods are built by shifting the earlier events forward onto
 * the query period (by its length in local days, or by one calendar year),
 * so time keys (month, week, date) line up with their counterparts.
 * The result owns its rows; vg_stats_free releases them.
 */
#ifndef VG_STATS_H
#define VG_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/tz.h"
#include "ingest/taxonomy.h"
#include "store/events.h"

enum vg_stats_key {
    VG_KEY_AREA, VG_KEY_CATEGORY, VG_KEY_YEAR, VG_KEY_MONTH, VG_KEY_WEEK,
    VG_KEY_DATE, VG_KEY_HOUR, VG_KEY_WEEKDAY, VG_KEY_SOURCE, VG_KEY_ORIGIN,
    VG_KEY__COUNT
};

#define VG_STATS_MAX_KEYS 4

struct vg_stats_area {
    const char *id, *name; /* borrowed */
    double km2, population; /* population NAN if unknown */
};

struct vg_stats_query {
    enum vg_stats_key keys[VG_STATS_MAX_KEYS];
    size_t nkeys;
    int64_t from_day, to_day; /* local days [from, to) */
    const struct vg_tz *tz;
    const struct vg_taxonomy *tax;
    const struct vg_stats_area *areas; /* may be NULL */
    size_t nareas;
};

struct vg_stats_row {
    int64_t key[VG_STATS_MAX_KEYS];
    double count, prev, year_before;
};

struct vg_stats {
    struct vg_stats_query q;
    struct vg_stats_row *rows;
    size_t n;
    double total, total_prev, total_year;
};

enum vg_err vg_stats_key_parse(const char *name, enum vg_stats_key *out);
/* Group the (already filtered) events.  Events outside the query period
 * and its two comparison periods are ignored. */
enum vg_err vg_stats_compute(const struct vg_stats_query *q,
                             const struct vg_events *ev, struct vg_stats *out,
                             struct vg_diag *d);

enum vg_stats_format { VG_STATS_TABLE, VG_STATS_CSV, VG_STATS_JSON };
/* Render; `excel_fr` gives ';' separators and decimal commas (CSV only);
 * `lang` "fr" or "en" for category labels and headers of the table. */
enum vg_err vg_stats_render(const struct vg_stats *s, enum vg_stats_format f,
                            int excel_fr, const char *lang, struct vg_buf *out);
void vg_stats_free(struct vg_stats *s);

#endif

/*
 * profile.h — import profiles: small, commented text files a town can edit
 * that describe one CSV export (incidents, weather or logbook).
 *
 *   # comment
 *   [format]    kind, delimiter, quote, decimal, encoding, header
 *   [time]      timezone, format (dtfmt pattern or iso|fr|us12|compact),
 *               end_format, report_format, z_is_local, midnight_unknown
 *   [columns]   id, start, end, reported, category, text, lon, lat, x, y,
 *               address, source, origin, weather: date tmax tmin prcp snow wind
 *   [coordinates] crs (of x/y), bbox = lon_min,lat_min,lon_max,lat_max
 *   [record]    source, origin, category (fixed values when no column)
 *   [units]     temperature = F|C, precipitation = in|mm|tenths_mm, wind = mph|ms|kmh
 *   [crosswalk] SOURCE LABEL = category_code   (split at the last '=')
 *   [sources] / [origins]  column value = vigie name
 *
 * Columns are named by their header text, or "#N" (1-based) without header.
 * vg_profile_load returns a profile owned by the caller (vg_profile_free).
 */
#ifndef VG_PROFILE_H
#define VG_PROFILE_H

#include <stddef.h>

#include "base/dtfmt.h"
#include "base/err.h"
#include "store/events.h"

enum vg_profile_kind { VG_PROFILE_INCIDENTS, VG_PROFILE_WEATHER, VG_PROFILE_LOGBOOK };

enum vg_col {
    VG_COL_ID, VG_COL_START, VG_COL_END, VG_COL_REPORTED, VG_COL_CATEGORY,
    VG_COL_TEXT, VG_COL_LON, VG_COL_LAT, VG_COL_X, VG_COL_Y, VG_COL_ADDRESS,
    VG_COL_SOURCE, VG_COL_ORIGIN, VG_COL_PLACE,
    VG_COL_DATE, VG_COL_TMAX, VG_COL_TMIN, VG_COL_PRCP, VG_COL_SNOW, VG_COL_WIND,
    VG_COL__COUNT
};

struct vg_map_entry {
    char *from;
    char *to;
};

struct vg_profile {
    char name[64];
    char path[256];
    enum vg_profile_kind kind;
    char delim, quote, decimal;
    int header;  /* 1: first row names the columns */
    int latin1;  /* encoding = latin1 (else utf-8) */
    char tz[64];
    struct vg_dtfmt fmt_start, fmt_end, fmt_report;
    int z_is_local;       /* "Z"/offsets on times are wall-clock local */
    int midnight_unknown; /* 00:00 means time unknown */
    char col_name[VG_COL__COUNT][64]; /* "" = not present */
    int col_index[VG_COL__COUNT];     /* resolved, -1 = absent */
    char crs[128];                    /* CRS of x/y columns */
    int has_bbox;
    double bbox[4];                   /* lon_min, lat_min, lon_max, lat_max */
    enum vg_source fixed_source;
    enum vg_origin fixed_origin;
    char fixed_category[64];
    double temp_f, prcp_scale, snow_scale, wind_scale; /* unit conversions */
    struct vg_map_entry *crosswalk, *sources, *origins;
    size_t ncrosswalk, nsources, norigins;
};

/* Find and parse a profile: `name_or_path` containing '/' or ending in
 * ".profile" is a path; otherwise profiles/NAME.profile under `dir`. */
enum vg_err vg_profile_load(const char *dir, const char *name_or_path,
                            struct vg_profile **out, struct vg_diag *d);
/* Parse profile text (for tests and fuzzing); `name` is used in messages. */
enum vg_err vg_profile_parse(const char *name, const char *text, size_t len,
                             struct vg_profile **out, struct vg_diag *d);
/* Resolve column names against a header row (fields as vg_str). */
struct vg_str;
enum vg_err vg_profile_bind(struct vg_profile *p, const struct vg_str *hdr,
                            size_t n, const char *file, struct vg_diag *d);
/* Crosswalk lookup (exact, then case-insensitive); NULL if unknown. */
const char *vg_profile_map(const struct vg_map_entry *m, size_t n,
                           const char *s, size_t len);
void vg_profile_free(struct vg_profile *p);

#endif

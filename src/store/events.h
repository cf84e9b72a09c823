/*
 * events.h — the in-memory, columnar form of incidents that the models read.
 *
 * One array per field, all of length `n`, sorted by `t` ascending (ties by
 * store id), so "every event strictly before instant T" is the prefix
 * [0, vg_events_before(ev, T)).  Hundreds of thousands of events load in
 * milliseconds and models stream through exactly the fields they need.
 * The struct owns its arrays (vg_events_free releases them); a *view* made
 * with vg_events_prefix() borrows them and must not be freed.
 * Models never see personal data: only time, place, category, source, origin.
 */
#ifndef VG_EVENTS_H
#define VG_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Who produced the record (fixed ids; stored as text in the store). */
enum vg_source {
    VG_SRC_UNKNOWN = 0,
    VG_SRC_LOGBOOK,
    VG_SRC_INTERVENTION,
    VG_SRC_PARTNER_LANDLORD,
    VG_SRC_PARTNER_SOCIAL,
    VG_SRC_PARTNER_HEALTH,
    VG_SRC_CITIZEN,
    VG_SRC_CAMERA,
    VG_SRC_POLICE_RECORDS, /* official recorded-crime exports (e.g. US open data) */
    VG_SRC_CALLS,          /* calls for service */
    VG_SRC__COUNT
};

/* How the fact came to police knowledge (Ensign et al. 2018 matter here). */
enum vg_origin {
    VG_ORIGIN_UNKNOWN = 0,
    VG_ORIGIN_REPORTED,   /* reported by the public */
    VG_ORIGIN_DISCOVERED, /* discovered by police on patrol */
    VG_ORIGIN_CAMERA,     /* seen on camera */
    VG_ORIGIN__COUNT
};

const char *vg_source_name(enum vg_source s);   /* "partner:landlord" … */
enum vg_err vg_source_parse(const char *s, enum vg_source *out);
const char *vg_origin_name(enum vg_origin o);   /* "reported" … */
enum vg_err vg_origin_parse(const char *s, enum vg_origin *out);

struct vg_events {
    size_t n, cap;
    int64_t *id;      /* store row id */
    int64_t *t;       /* occurrence (start) instant, UTC seconds */
    int64_t *t_end;   /* end of the occurrence interval (== t if exact) */
    double *x, *y;    /* projected metres in the study CRS */
    double *lon, *lat;/* WGS84 degrees */
    int32_t *cat;     /* category index in the taxonomy */
    int32_t *area;    /* index of the area in the loaded layer, -1 = none */
    uint8_t *source;  /* enum vg_source */
    uint8_t *origin;  /* enum vg_origin */
    int owns;         /* 1 if arrays are owned (free them), 0 for a view */
};

void vg_events_init(struct vg_events *ev);
enum vg_err vg_events_reserve(struct vg_events *ev, size_t cap);
/* Append one event (arrays grow geometrically). */
enum vg_err vg_events_push(struct vg_events *ev, int64_t id, int64_t t,
                           int64_t t_end, double x, double y, double lon,
                           double lat, int32_t cat, int32_t area,
                           uint8_t source, uint8_t origin);
/* Sort by (t, id). */
enum vg_err vg_events_sort(struct vg_events *ev);
void vg_events_free(struct vg_events *ev);

/* Number of events with t < t0 (binary search; `ev` must be sorted). */
size_t vg_events_before(const struct vg_events *ev, int64_t t0);
/* A borrowed view of the first `n` events. */
struct vg_events vg_events_prefix(const struct vg_events *ev, size_t n);
/* An owned deep copy of the events with t < t0 whose category is in `cats`
 * (ncats == 0 means all).  Used to hand a model only the past. */
enum vg_err vg_events_copy_before(const struct vg_events *ev, int64_t t0,
                                  const int32_t *cats, size_t ncats,
                                  struct vg_events *out);
/* SHA-256 (hex, 65 bytes) over (id, t, t_end, x, y, cat, origin) of all
 * events, little-endian, in order: the data digest of a forecast. */
void vg_events_digest(const struct vg_events *ev, char out[65]);

#endif

/*
 * retention.h — retention periods and legal holds: which stored record must
 * be purged now.
 *
 * A policy gives, per data type, how many days a record is kept after its
 * time (the event's time for logbook entries and incidents, the report's
 * date for partner reports, the creation time for forecasts and audit
 * records); negative = kept until a person decides.  A legal hold, tied to
 * a procedure number (court or prosecutor reference), freezes records of a
 * type (or all types), whose time lies in [from, to), optionally only in
 * one area, from the moment it is placed until it is lifted.
 *
 * vg_ret_decide() is a pure function of (policy, holds, record, now): the
 * caller injects the clock, so tests and dry runs can ask "what would be
 * purged on 1 March" and the store wires the answer to its tables.
 * Purging audit records additionally needs the trail to be rotated under a
 * signed checkpoint (not done here: the verdict only says it is due).
 * Nothing here allocates except vg_ret_holds_parse's caller-freed array.
 */
#ifndef VG_RETENTION_H
#define VG_RETENTION_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum vg_ret_type {
    VG_RET_LOGBOOK,   /* main courante entries, intervention reports */
    VG_RET_PARTNER,   /* reports from landlords, carers, social workers */
    VG_RET_INCIDENT,  /* incident records (video requisitions, etc.) */
    VG_RET_FORECAST,  /* stored forecasts and briefings */
    VG_RET_AUDIT,     /* audit trail records */
    VG_RET_NTYPES,
    VG_RET_ANY = -1   /* holds only: every type */
};

/* Name ("logbook", "partner", "incident", "forecast", "audit", "any") and
 * back; -2 from vg_ret_type_of for an unknown name. */
const char *vg_ret_type_name(int type);
int vg_ret_type_of(const char *name, size_t len);

#define VG_RET_FOREVER (-1)

struct vg_ret_policy {
    int32_t days[VG_RET_NTYPES];  /* >= 0 days, or VG_RET_FOREVER */
};

/* Defaults, to be set by the data protection officer for each service:
 * logbook 1825 (5 y), partner 365, incident 1095 (3 y), forecast 365,
 * audit 1095.  These are placeholders, not legal advice. */
void vg_ret_policy_default(struct vg_ret_policy *p);

/* Override entries of `p` from "logbook=365,partner=180,audit=forever".
 * Fails with VG_PARSE naming the offending item (unknown type, days not a
 * whole number in 0..36500, duplicate type). */
enum vg_err vg_ret_policy_parse(const char *text, struct vg_ret_policy *p,
                                struct vg_diag *d);

struct vg_ret_hold {
    char procedure[64];   /* e.g. "PV 2024/00117" — required */
    int type;             /* enum vg_ret_type or VG_RET_ANY */
    int64_t from, to;     /* record times covered: [from, to); to 0 = open */
    char area[64];        /* "" = every area */
    int64_t placed;       /* hold in force from this instant ... */
    int64_t lifted;       /* ... until this one (0 = not lifted) */
};

/* Parse "procedure=PV 2024/117;type=logbook;from=2023-01-01;to=2023-06-30;
 * area=Nord;placed=2024-02-01;lifted=2025-01-01" (';'-separated; type,
 * from, to, area, placed, lifted optional; dates are UTC days, `to` and
 * `lifted` include the whole day named).  `placed` defaults to 0 (always). */
enum vg_err vg_ret_hold_parse(const char *text, struct vg_ret_hold *h,
                              struct vg_diag *d);

enum vg_ret_verdict {
    VG_RET_KEEP,   /* still within its retention period */
    VG_RET_PURGE,  /* retention expired, no hold: must be purged now */
    VG_RET_HELD    /* retention expired but a legal hold keeps it */
};

struct vg_ret_decision {
    enum vg_ret_verdict verdict;
    int64_t purge_at;  /* when retention expires; INT64_MAX = never */
    int hold;          /* index of the first hold in force covering the
                        * record, -1 if none (set even when KEEP) */
};

/* Decide for one record of `type` with time `t` in `area` (NULL or "" =
 * unknown area: then holds restricted to an area DO cover it, since it
 * cannot be shown to lie outside) at instant `now`.
 * Retention expires at t + days * 86400 (inclusive: purge when now >= it).
 * A hold covers the record when it is in force at `now`
 * (placed <= now < lifted), its type is the record's or ANY, from <= t and
 * (to == 0 or t < to), and its area is "" or equal to the record's.
 * VG_RANGE for an invalid type or policy entry. */
enum vg_err vg_ret_decide(const struct vg_ret_policy *p,
                          const struct vg_ret_hold *holds, size_t nholds,
                          int type, int64_t t, const char *area, int64_t now,
                          struct vg_ret_decision *out);

#endif

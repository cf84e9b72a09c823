/*
 * store.h — the incident store, behind one interface.
 *
 * A store is opened from a URL: a file path or "sqlite:PATH" selects the
 * embedded SQLite back end (sqlite.c); "postgres://..." or "postgresql://..."
 * the PostgreSQL back end (postgres.c, libpq), which implements the same
 * `struct vg_store_ops` (docs/store.md).  The schema carries a version and is migrated forward on
 * open; a database newer than the program is refused (VG_SCHEMA).
 * All writes of one import happen inside one transaction (begin/commit), so a
 * killed process leaves the store as it was before or after, never between.
 * Returned objects are owned by the caller unless stated.
 */
#ifndef VG_STORE_H
#define VG_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "ingest/taxonomy.h"
#include "store/events.h"
#include "store/weather.h"

struct vg_store;

/* One incident as written by the import pipeline. Strings are borrowed. */
struct vg_incident {
    int64_t dataset_id;
    int64_t dkey;          /* de-duplication key within the dataset */
    const char *source_id; /* NULL when the source has no id */
    int64_t t_start, t_end, t_report; /* UTC seconds; t_report 0 = unknown */
    const char *tz;
    int time_known;        /* 0: only the date is known */
    int32_t cat;           /* taxonomy index */
    const char *label;     /* the source's own label */
    double lon, lat, x, y; /* WGS84 and study CRS metres */
    int32_t area;          /* index in the default layer, -1 = none */
    const char *address, *text;
    enum vg_source source;
    enum vg_origin origin;
    int64_t import_id;
};

struct vg_area_row {
    const char *id, *name;
    double population; /* NAN if unknown */
    double km2;
    const char *geojson; /* geometry in WGS84 */
};

struct vg_event_filter {
    const int32_t *cats;
    size_t ncats;          /* 0 = all */
    int64_t from, to;      /* [from, to) on t_start; 0/0 = unbounded */
    int source, origin;    /* -1 = any */
    int32_t area;          /* -1 = any */
};

/* A user of `vigie serve` (cli/cmd_users.c, server/auth.c).  Strings are
 * borrowed; `hash` is a libsodium crypto_pwhash_str (Argon2id) string. */
struct vg_user_row {
    const char *name, *role, *hash;
    int disabled;
    int64_t created, updated; /* UTC seconds */
};

/* One classified logbook entry (table `review`, keyed by the incident).
 * status: "pending"   confidence under the threshold, waiting for a person;
 *         "confirmed" a person kept `suggested`;
 *         "corrected" a person chose another category (`final`);
 *         "accepted"  confident enough, nobody asked to look (machine label);
 *         "author"    the entry's author gave the category; `suggested` is
 *                     kept for comparison only.
 * Strings are borrowed (valid during the call that hands them over). */
struct vg_review_row {
    int64_t incident_id;
    const char *suggested;  /* classifier's category code */
    double confidence;      /* 0..1 */
    const char *status;
    const char *final_cat;  /* person's category code; NULL until decided */
    const char *analyst;    /* NULL until decided */
    int64_t decided;        /* UTC seconds; 0 until decided */
    /* read-only, filled by reviews_get from the incident: */
    const char *category;   /* the incident's current category code */
    const char *text;       /* its (scrubbed) text; NULL when none is kept */
    const char *source;     /* vg_source_name() */
    int64_t t_start;
};

struct vg_import_counts {
    size_t rows, imported, duplicates, rejected;
};

/* --- accountability (audit/purge.c, cli/cmd_account.c; migration 3) ---
 * A legal hold as stored (table legal_hold).  Strings are borrowed.
 * `type` is a retention type name of audit/retention.h ("logbook",
 * "partner", "incident", "forecast", "audit") or "any"; `area` is an area
 * id of the default layer or "" for every area. */
struct vg_hold_row {
    int64_t id;                 /* assigned by hold_add */
    const char *procedure;      /* required, at most 63 bytes */
    const char *type;
    int64_t from, to;           /* covered record times [from, to); to 0 = open */
    const char *area;
    const char *reason, *placed_by;
    int64_t placed;             /* UTC seconds */
    int64_t lifted;             /* 0 while in force */
    const char *lift_reason, *lifted_by; /* "" while in force */
};

/* A forecast kept in the store (table forecast): the full vector of
 * expected counts (one double per unit, in unit order) so that a replay can
 * name the first differing cell, and a short JSON list of the top places.
 * Strings and `expected` are borrowed. */
struct vg_forecast_row {
    int64_t id, audit_seq, created;  /* created: UTC seconds */
    const char *model, *categories, *units, *result_sha256, *top_json;
    int64_t window_start, window_end;
    const double *expected;
    size_t n;
};

/* Retention types of the rows purge touches (values of enum vg_ret_type in
 * audit/retention.h): 0 logbook = incidents whose source is "logbook" or
 * "intervention"; 1 partner = source "partner:*"; 2 incident = every other
 * incident; 3 forecast = forecast rows (time = created).  An incident's
 * time is t_start. */

struct vg_store_ops {
    const char *scheme;
    void (*close)(struct vg_store *s);
    enum vg_err (*exec)(struct vg_store *s, const char *sql, struct vg_diag *d);
    enum vg_err (*meta_get)(struct vg_store *s, const char *key, char *out,
                            size_t cap);
    enum vg_err (*meta_set)(struct vg_store *s, const char *key,
                            const char *value, struct vg_diag *d);
    enum vg_err (*categories)(struct vg_store *s, struct vg_taxonomy *out,
                              struct vg_diag *d);
    enum vg_err (*category_add)(struct vg_store *s, int32_t idx,
                                const struct vg_category *c, struct vg_diag *d);
    enum vg_err (*dataset)(struct vg_store *s, const char *name,
                           const char *profile, int64_t *id, struct vg_diag *d);
    enum vg_err (*import_begin)(struct vg_store *s, int64_t dataset_id,
                                const char *file, int64_t *import_id,
                                struct vg_diag *d);
    enum vg_err (*import_end)(struct vg_store *s, int64_t import_id,
                              const struct vg_import_counts *c,
                              struct vg_diag *d);
    /* *inserted = 0 when (dataset_id, dkey) already exists */
    enum vg_err (*incident_put)(struct vg_store *s, const struct vg_incident *r,
                                int *inserted, struct vg_diag *d);
    enum vg_err (*areas_put)(struct vg_store *s, const char *layer,
                             const char *meta_json, const struct vg_area_row *a,
                             size_t n, struct vg_diag *d);
    /* Calls fn for each area of the layer in index order. */
    enum vg_err (*areas_get)(struct vg_store *s, const char *layer,
                             enum vg_err (*fn)(void *arg, size_t idx,
                                               const struct vg_area_row *a),
                             void *arg, struct vg_diag *d);
    enum vg_err (*incident_area_set)(struct vg_store *s, int64_t id,
                                     int32_t area, struct vg_diag *d);
    enum vg_err (*events_load)(struct vg_store *s,
                               const struct vg_event_filter *f,
                               struct vg_events *out, struct vg_diag *d);
    enum vg_err (*weather_put)(struct vg_store *s, const char *station,
                               int64_t day, const double v[5],
                               struct vg_diag *d);
    enum vg_err (*weather_load)(struct vg_store *s, const char *station,
                                struct vg_weather *out, struct vg_diag *d);
    /* --- users of the web application (server/auth.c) --- */
    /* create = 1 inserts (VG_EXISTS if the name is taken); 0 updates role,
     * hash, disabled and updated (VG_NOTFOUND if absent). */
    enum vg_err (*user_put)(struct vg_store *s, const struct vg_user_row *u,
                            int create, struct vg_diag *d);
    /* Calls fn for the user `name` (VG_NOTFOUND if absent), or for every
     * user in name order when `name` is NULL.  Rows live during the call. */
    enum vg_err (*users_get)(struct vg_store *s, const char *name,
                             enum vg_err (*fn)(void *arg,
                                               const struct vg_user_row *u),
                             void *arg, struct vg_diag *d);
    enum vg_err (*user_delete)(struct vg_store *s, const char *name,
                               struct vg_diag *d);
    /* Incidents matching `f`, newest first, rows [offset, offset+limit);
     * *total counts every match.  fn gets the row id and a row whose
     * strings live during the call; address and source_id are not read. */
    enum vg_err (*incidents_list)(struct vg_store *s,
                                  const struct vg_event_filter *f,
                                  size_t limit, size_t offset, size_t *total,
                                  enum vg_err (*fn)(void *arg, int64_t id,
                                                    const struct vg_incident *r),
                                  void *arg, struct vg_diag *d);
    /* --- classification review queue (ingest/logbook.c, cli/cmd_review.c) --- */
    /* Attach r (suggested, confidence, status; other fields ignored) to the
     * incident (dataset_id, dkey).  VG_NOTFOUND if there is no such
     * incident; VG_EXISTS if it already has a review row (left as it is). */
    enum vg_err (*review_add)(struct vg_store *s, int64_t dataset_id,
                              int64_t dkey, const struct vg_review_row *r,
                              struct vg_diag *d);
    /* Calls fn for the review row of `incident_id` (VG_NOTFOUND if none),
     * or, when incident_id is 0, for every row whose status is `status`
     * (NULL = any), oldest incident id first.  Every field of the row is
     * filled, including the read-only ones. */
    enum vg_err (*reviews_get)(struct vg_store *s, int64_t incident_id,
                               const char *status,
                               enum vg_err (*fn)(void *arg,
                                                 const struct vg_review_row *r),
                               void *arg, struct vg_diag *d);
    /* A person decides: final = `code`, analyst, decided = `when`, status =
     * "confirmed" if code equals suggested, else "corrected"; and the
     * incident's category becomes `code`.  Allowed again on a decided row
     * (the last decision wins).  VG_NOTFOUND if the incident has no review
     * row or `code` is not a category of the store; atomic. */
    enum vg_err (*review_decide)(struct vg_store *s, int64_t incident_id,
                                 const char *code, const char *analyst,
                                 int64_t when, struct vg_diag *d);
    /* The training set of the text classifier: calls fn(text, code) for
     * every incident with a non-empty text whose category a person gave
     * (review status author, confirmed or corrected), code being the
     * incident's current category, in incident id order. */
    enum vg_err (*training_get)(struct vg_store *s,
                                enum vg_err (*fn)(void *arg, const char *text,
                                                  const char *code),
                                void *arg, struct vg_diag *d);
    /* --- legal holds and retention (audit/purge.c) --- */
    /* Insert a hold; its id goes to *id.  lifted must be 0. */
    enum vg_err (*hold_add)(struct vg_store *s, const struct vg_hold_row *h,
                            int64_t *id, struct vg_diag *d);
    /* Calls fn for every hold, lifted ones included, in id order. */
    enum vg_err (*holds_get)(struct vg_store *s,
                             enum vg_err (*fn)(void *arg,
                                               const struct vg_hold_row *h),
                             void *arg, struct vg_diag *d);
    /* Lift every hold of `procedure` still in force (lifted = 0): set
     * lifted, lifted_by, lift_reason.  *n = holds lifted; VG_NOTFOUND when
     * none was in force. */
    enum vg_err (*hold_lift)(struct vg_store *s, const char *procedure,
                             int64_t lifted, const char *by,
                             const char *reason, size_t *n, struct vg_diag *d);
    /* Calls fn(arg, row id, time, area index or -1) for every row of
     * retention type `type` (0..3 above) whose time is < before, in id
     * order.  fn must not write to the store. */
    enum vg_err (*retention_scan)(struct vg_store *s, int type, int64_t before,
                                  enum vg_err (*fn)(void *arg, int64_t id,
                                                    int64_t t, int32_t area),
                                  void *arg, struct vg_diag *d);
    /* Delete rows ids[0..n) of retention type `type`. */
    enum vg_err (*retention_delete)(struct vg_store *s, int type,
                                    const int64_t *ids, size_t n,
                                    struct vg_diag *d);
    /* --- stored forecasts (cli/cmd_forecast.c, replay, export) --- */
    enum vg_err (*forecast_put)(struct vg_store *s,
                                const struct vg_forecast_row *r, int64_t *id,
                                struct vg_diag *d);
    /* Calls fn for the forecast of audit record `audit_seq` (> 0; VG_NOTFOUND
     * if none), or, when audit_seq == 0, for every forecast whose window
     * overlaps [from, to) (0/0 = all) in id order.  Rows live during the
     * call; `expected` is filled only when audit_seq > 0 (else NULL, n kept). */
    enum vg_err (*forecasts_get)(struct vg_store *s, int64_t audit_seq,
                                 int64_t from, int64_t to,
                                 enum vg_err (*fn)(void *arg,
                                                   const struct vg_forecast_row *r),
                                 void *arg, struct vg_diag *d);
};

struct vg_store {
    const struct vg_store_ops *ops;
    char url[512];
    int in_tx;
};

/* Open (creating if allowed) and migrate.  `create` = 0 refuses a missing
 * database with VG_NOTFOUND. */
enum vg_err vg_store_open(const char *url, int create, struct vg_store **out,
                          struct vg_diag *d);
void vg_store_close(struct vg_store *s);

enum vg_err vg_store_begin(struct vg_store *s, struct vg_diag *d);
enum vg_err vg_store_commit(struct vg_store *s, struct vg_diag *d);
void vg_store_rollback(struct vg_store *s);

/* Meta keys used: "study_crs", "study_tz", "default_layer", "retention_policy"
 * (text of vg_ret_policy_parse, e.g. "logbook=365,partner=180"), "gate:*". */
enum vg_err vg_store_meta_get(struct vg_store *s, const char *key, char *out,
                              size_t cap);
enum vg_err vg_store_meta_set(struct vg_store *s, const char *key,
                              const char *value, struct vg_diag *d);

struct vg_tz;
/* The town's time zone: meta "study_tz" (set by the first import's
 * profile), UTC when unset or s is NULL; NULL and d filled if the stored
 * name is unknown. */
const struct vg_tz *vg_store_zone(struct vg_store *s, struct vg_diag *d);

/* The store's taxonomy; on first use it is seeded from `seed_path`
 * (config/taxonomy.tsv) and new codes in the file are appended later. */
enum vg_err vg_store_taxonomy(struct vg_store *s, const char *seed_path,
                              struct vg_taxonomy *out, struct vg_diag *d);

/* Load events matching `f`, sorted by (t, id). */
enum vg_err vg_store_events(struct vg_store *s, const struct vg_event_filter *f,
                            struct vg_events *out, struct vg_diag *d);

/* 1 if `url` selects the PostgreSQL back end ("postgres://", "postgresql://"). */
int vg_store_is_postgres(const char *url);

/* The path of a file kept beside the store (rejects, audit keys, logs):
 * "X.db" + suffix for SQLite; for PostgreSQL "$VIGIE_STATE_DIR/DB@HOST[:PORT]"
 * + suffix (VIGIE_STATE_DIR defaults to the current directory; '/' in the
 * host becomes '_').  VG_LIMIT if it does not fit, VG_PARSE for a bad URL. */
enum vg_err vg_store_side_path(const char *url, const char *suffix, char *out,
                               size_t cap);

/* Back ends. */
enum vg_err vg_sqlite_open(const char *path, int create, struct vg_store **out,
                           struct vg_diag *d);
/* `url` goes to libpq as it is; the database must exist (createdb), its
 * schema is created when `create` (else VG_NOTFOUND) and migrated. */
enum vg_err vg_postgres_open(const char *url, int create, struct vg_store **out,
                             struct vg_diag *d);
enum vg_err vg_postgres_side_path(const char *url, const char *suffix, char *out,
                                  size_t cap);

#endif

/*
 * auditlog.h — the append-only, hash-chained, signed audit trail.
 *
 * For a store "X.db" the trail is the file "X.db.audit": one record per line,
 * a JSON object with its members in this fixed order
 *   {"seq":N,"time":"YYYY-MM-DDTHH:MM:SSZ","user":..,"role":..,"action":..,
 *    "object":..,"purpose":..,"details":{..},"prev":"<64 hex>","hash":"<64 hex>"}
 * where `hash` is the SHA-256 of the line's bytes before `,"hash":"` and
 * `prev` is the previous record's `hash` (64 zeros for seq 1).  Sequence
 * numbers start at 1 and have no gaps.
 *
 * Every `sign_every` records, when `sign_interval` seconds have passed since
 * the last signature (checked at append time; there is no timer thread), and
 * on close, a record with action "sign" (user "vigie", role "system") is
 * appended whose details carry an Ed25519 signature of the chain head
 *   message = "vigie-audit-v1 " <head seq> " " <head hash hex>
 * where the head is the record just before the "sign" record.  The key pair
 * lives beside the store: "X.db.audit.key" (secret) and "X.db.audit.pub",
 * both mode 0600, created on first open.  The latest signed head is also
 * copied to "X.db.audit.head" (replaced atomically) so that truncating the
 * trail right after a signature is still detected; copy that file or its
 * contents elsewhere (reports, another host) to guard against rollback.
 * When records are removed under the trail's retention period
 * (vg_audit_prune), "X.db.audit.base" holds the signed checkpoint from which
 * the rest is verified (auditprune.c).
 *
 * Durability (fsync policy): VG_AUDIT_SYNC_EACH (default) fdatasync()s after
 * every record before vg_audit_append returns; VG_AUDIT_SYNC_SIGN only after
 * signature records and on close (a crash may lose the unsigned tail, never
 * corrupt the signed part); VG_AUDIT_SYNC_NONE leaves it to the kernel.
 *
 * Concurrency: a `struct vg_audit` may be shared by threads (one mutex); any
 * number of processes may append to one trail (flock around
 * read-tail/append).  Each record is one write() on an O_APPEND descriptor.
 *
 * Storage is abstracted by `struct vg_audit_backend_ops`: the file back end
 * (auditfile.c) for SQLite stores, and the append-only table audit_trail of
 * a PostgreSQL store (auditpg.c).  Callers use vg_audit_open_for_store /
 * vg_audit_verify_for_store, which choose from the store URL.
 */
#ifndef VG_AUDITLOG_H
#define VG_AUDITLOG_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define VG_AUDIT_LINE_MAX 65536   /* longest record, bytes with '\n' */
#define VG_AUDIT_FIELD_MAX 1024   /* user, role, action, object, purpose */
#define VG_AUDIT_HEX 65           /* 64 hex digits + NUL */

/* One record as the caller sees it.  Strings are borrowed (the caller's for
 * vg_audit_append; the iterator's or entry's storage when reading).
 * `details` is the text of a JSON object (NULL or "" means {}). */
struct vg_audit_rec {
    int64_t seq;   /* set by the log; ignored by append */
    int64_t time;  /* UTC seconds; 0 on append = now */
    const char *user, *role, *action, *object, *purpose, *details;
};

enum vg_audit_sync { VG_AUDIT_SYNC_EACH, VG_AUDIT_SYNC_SIGN, VG_AUDIT_SYNC_NONE };

struct vg_audit_opts {
    int64_t sign_every;          /* records between signatures; 0 = 100 */
    int64_t sign_interval;       /* seconds; 0 = 60; <0 = never by time */
    enum vg_audit_sync sync;
    /* comma-separated roles that must give a purpose; NULL = default
     * VG_AUDIT_PURPOSE_ROLES.  "" = no role needs one. */
    const char *purpose_roles;
    int read_only;               /* open for reading/verify only: no key */
    /* clock for tests; NULL = time(NULL) */
    int64_t (*now)(void *ctx);
    void *now_ctx;
};
#define VG_AUDIT_PURPOSE_ROLES "analyst,investigator,officer,partner"

struct vg_audit;

/* Open (creating if needed) the trail of store `db_path` ("X.db" → "X.db.audit")
 * with the file back end.  `opts` may be NULL for defaults.  Creates the
 * key pair on first use unless read_only.  The result is freed by
 * vg_audit_close.  Fails with VG_IO (cannot open/lock), VG_INTEGRITY (last
 * line of the trail is torn: run `vigie audit verify`). */
enum vg_err vg_audit_open(const char *db_path, const struct vg_audit_opts *opts,
                          struct vg_audit **out, struct vg_diag *d);

/* The trail kept beside the store `db_url`: for a file path (or
 * "sqlite:PATH") exactly vg_audit_open(); for "postgres://..." the
 * append-only table audit_trail of that database (created unless
 * read_only), with the key files at vg_store_side_path(db_url, ".audit")
 * + ".key"/".pub" (docs/store.md).  Same contract as vg_audit_open. */
enum vg_err vg_audit_open_for_store(const char *db_url,
                                    const struct vg_audit_opts *opts,
                                    struct vg_audit **out, struct vg_diag *d);

/* Append one record; its seq goes to *out_seq (may be NULL).  Validates
 * that user, role, action, object are non-empty, that fields fit the limits,
 * that `details` is a JSON object and that roles listed in purpose_roles
 * give a purpose (VG_FORBIDDEN otherwise).  May append a "sign" record
 * after it (policy above).  Thread-safe. */
enum vg_err vg_audit_append(struct vg_audit *a, const struct vg_audit_rec *r,
                            int64_t *out_seq, struct vg_diag *d);

/* Retention of the trail itself: remove records 1..upto (the oldest) and
 * leave a signed checkpoint (seq and hash of record `upto`, time of the
 * cut) from which vg_audit_verify proves the rest.  First signs the head,
 * then verifies the whole trail and refuses (VG_INTEGRITY) to cut one that
 * does not verify, so pruning never erases evidence of tampering.  The last
 * record is always kept (upto is lowered to it minus one).  Afterwards
 * appends an "audit-prune" record {"upto","removed","checkpoint"}.  Other
 * handles on the same trail (other processes, a running server) notice the
 * cut at their next lock and continue on the new trail.  *removed gets the
 * number of records removed (0 when nothing was left to cut). */
enum vg_err vg_audit_prune(struct vg_audit *a, int64_t upto, int64_t *removed,
                           struct vg_diag *d);

/* Sign the current head now if records follow the last signature. */
enum vg_err vg_audit_sign(struct vg_audit *a, struct vg_diag *d);

/* Sign any unsigned tail, sync and free.  Accepts NULL.  Returns the status
 * of the final signature (the handle is freed in every case). */
enum vg_err vg_audit_close(struct vg_audit *a, struct vg_diag *d);

/* Path of the trail file ("X.db.audit"); owned by `a`. */
const char *vg_audit_path(const struct vg_audit *a);

/* A record read back, owning its strings (free with vg_audit_entry_free). */
struct vg_audit_entry {
    struct vg_audit_rec rec;
    char prev[VG_AUDIT_HEX], hash[VG_AUDIT_HEX];
    uint64_t offset;  /* byte offset of the line */
    char *mem, *aux;  /* private */
};
void vg_audit_entry_free(struct vg_audit_entry *e);

/* Record number `seq`, its own hash checked (not the whole chain: use
 * vg_audit_verify for that).  VG_NOTFOUND if absent (the message says so
 * when a retention cut removed it), VG_INTEGRITY if the line does not match
 * its hash. */
enum vg_err vg_audit_get(struct vg_audit *a, int64_t seq,
                         struct vg_audit_entry *out, struct vg_diag *d);

/* Query: NULL / 0 fields match everything.  Times are UTC seconds,
 * from inclusive, to exclusive. */
struct vg_audit_query {
    const char *user, *action, *object;
    int64_t from, to;
    int include_sign;   /* also pass the "sign" records */
};
/* Call `cb` for every record matching `q` in sequence order.  `rec` and its
 * strings are valid during the call only.  A non-zero return from `cb`
 * stops the scan (the function then returns VG_OK).  Records that are not
 * well-formed stop the scan with VG_INTEGRITY. */
enum vg_err vg_audit_scan(struct vg_audit *a, const struct vg_audit_query *q,
                          int (*cb)(const struct vg_audit_rec *rec, void *ctx),
                          void *ctx, struct vg_diag *d);

/* ---- verification ---- */
#define VG_AUDIT_FAULTS(X)                                                    \
    X(NONE, "intact")                                                         \
    X(TRUNCATED, "truncated line")                                            \
    X(MALFORMED, "malformed record")                                          \
    X(HASH, "hash mismatch")                                                  \
    X(SEQ_GAP, "sequence gap")                                                \
    X(CHAIN, "chain break")                                                   \
    X(SIGNATURE, "bad signature")                                             \
    X(UNSIGNED_TAIL, "unsigned tail")                                         \
    X(ROLLBACK, "trail shorter than its signed head")                         \
    X(NOKEY, "public key missing or unreadable")                              \
    X(CHECKPOINT, "retention checkpoint invalid")

enum vg_audit_fault {
#define VG__AF(n, t) VG_AUDIT_FAULT_##n,
    VG_AUDIT_FAULTS(VG__AF)
#undef VG__AF
};
const char *vg_audit_fault_name(enum vg_audit_fault f);

struct vg_audit_report {
    enum vg_audit_fault fault;  /* first fault found, NONE if intact */
    int64_t seq;        /* seq of the first broken record (expected seq) */
    uint64_t offset;    /* byte offset of its line */
    size_t line;        /* 1-based line number */
    int64_t records;    /* well-formed records read before the fault */
    int64_t signatures; /* valid signatures among them */
    int64_t signed_seq; /* last record covered by a valid signature */
    int64_t base_seq;   /* records 1..base_seq removed under a signed
                           retention checkpoint (0: none removed) */
    int64_t base_time;  /* when that checkpoint was cut (UTC seconds) */
    char msg[320];
};

/* Check the whole trail of `db_path`: every line well-formed and ending in
 * '\n', every hash, the chain, sequence numbers, every signature (with the
 * public key beside the store), the signed head file, and — unless
 * `allow_unsigned_tail` — that the last record is a signature.  Returns
 * VG_OK with report->fault == NONE when intact; VG_INTEGRITY with the
 * first fault named in `report` otherwise; VG_IO if the file is unreadable.
 * A missing trail is an intact empty trail. */
enum vg_err vg_audit_verify(const char *db_path, int allow_unsigned_tail,
                            struct vg_audit_report *report, struct vg_diag *d);

/* vg_audit_verify for the trail of any store URL (file or table, as
 * vg_audit_open_for_store chooses).  For a table, report->offset and the
 * line number are the row position. */
enum vg_err vg_audit_verify_for_store(const char *db_url, int allow_unsigned_tail,
                                      struct vg_audit_report *report,
                                      struct vg_diag *d);

/* The trail's signed head as one line "SIGN_SEQ SIGN_HASH HEAD_SEQ HEAD_HASH
 * SIG" (the last signature record, and the record it signs) into out (>= 400
 * bytes), signing the head first if records follow the last signature (a
 * read-only handle gives the last signature as it is).  Kept
 * outside the store (another host, paper, the ethics committee's copy), it
 * lets vg_audit_verify_anchored detect a trail rolled back behind it even by
 * someone able to rewrite every file beside the store. */
enum vg_err vg_audit_anchor(struct vg_audit *a, char *out, size_t cap, struct vg_diag *d);

/* vg_audit_verify_for_store, and the trail must still hold the signature
 * record `anchor` names with the same hash (or have cut it under a signed
 * retention checkpoint); anchor NULL = none.  A rolled-back trail fails
 * with VG_AUDIT_FAULT_ROLLBACK, a rewritten one with CHAIN. */
enum vg_err vg_audit_verify_anchored(const char *db_url, int allow_unsigned_tail,
                                     const char *anchor, struct vg_audit_report *report,
                                     struct vg_diag *d);

/* ---- forecast records (for `vigie forecast --replay SEQ`) ---- */
struct vg_audit_forecast {
    const char *user, *role, *purpose;
    const char *object;        /* what was forecast, e.g. "grid:250m" */
    const char *model;         /* model name */
    const char *params_json;   /* JSON object of the model's parameters */
    const char *code_version;  /* e.g. "vigie 0.1.0 (git abc123)" */
    const char *data_sha256;   /* hex digest of the input data */
    const char *result_sha256; /* hex digest of the output */
    int64_t window_start, window_end;  /* UTC seconds */
    /* optional JSON object: how to re-run it (date, shift, category, units,
     * data limits; see cli/cmd_replay.c); NULL or "" = none ("{}" on read) */
    const char *request_json;
};
/* Append an action "forecast" record whose details are
 * {"data_sha256","model","params","code_version","window":{"start","end"},
 *  ["request":{..},] "result_sha256"}.  Digests must be 64 lowercase hex
 * digits. */
enum vg_err vg_audit_forecast_record(struct vg_audit *a,
                                     const struct vg_audit_forecast *f,
                                     int64_t *out_seq, struct vg_diag *d);
/* Read back the forecast record `seq` (its hash checked).  The strings in
 * `out` point into `entry`, which the caller frees with vg_audit_entry_free.
 * VG_NOTFOUND if absent, VG_PARSE if it is not a forecast record. */
enum vg_err vg_audit_forecast_get(struct vg_audit *a, int64_t seq,
                                  struct vg_audit_entry *entry,
                                  struct vg_audit_forecast *out,
                                  struct vg_diag *d);

/* SHA-256 helpers for digests recorded in the trail.  Hash doubles by their
 * IEEE-754 bytes in little-endian order so digests are bit-for-bit. */
struct vg_audit_sha {  /* opaque state */
    union { unsigned char b[256]; uint64_t align; } u;
};
void vg_audit_sha_init(struct vg_audit_sha *s);
void vg_audit_sha_update(struct vg_audit_sha *s, const void *p, size_t n);
void vg_audit_sha_doubles(struct vg_audit_sha *s, const double *v, size_t n);
void vg_audit_sha_final(struct vg_audit_sha *s, char hex[VG_AUDIT_HEX]);

/* ---- storage back ends ---- */
/* A back end stores whole lines (each ending in '\n') in order and provides
 * mutual exclusion between writers.  All functions return VG_OK or fill d. */
struct vg_audit_backend_ops {
    const char *name;
    /* exclusive lock across processes (flock, pg_advisory_xact_lock) */
    enum vg_err (*lock)(void *self, struct vg_diag *d);
    void (*unlock)(void *self);
    /* the last line (without reading all), or len 0 when empty; `buf`
     * holds VG_AUDIT_LINE_MAX bytes.  Called under lock. */
    enum vg_err (*last_line)(void *self, char *buf, size_t *len,
                             struct vg_diag *d);
    /* a cheap token that changes when another writer appended (file size;
     * max(seq) for a table) */
    enum vg_err (*version)(void *self, uint64_t *out, struct vg_diag *d);
    /* append exactly one line, atomically; called under lock */
    enum vg_err (*append)(void *self, const char *line, size_t len,
                          struct vg_diag *d);
    enum vg_err (*sync)(void *self, struct vg_diag *d);
    /* every line in order: cb(ctx, line, len, offset); non-zero stops */
    enum vg_err (*scan)(void *self,
                        int (*cb)(void *ctx, const char *line, size_t len,
                                  uint64_t offset),
                        void *ctx, struct vg_diag *d);
    /* signed-head anchor: store/load one short text line */
    enum vg_err (*put_head)(void *self, const char *text, struct vg_diag *d);
    enum vg_err (*get_head)(void *self, char *buf, size_t cap,
                            struct vg_diag *d);  /* "" when none */
    void (*close)(void *self);
    /* retention checkpoint (see vg_audit_prune): load one short text line,
     * "" when the trail was never cut */
    enum vg_err (*get_base)(void *self, char *buf, size_t cap,
                            struct vg_diag *d);
    /* Under lock: store the checkpoint `base_text`, then remove every line
     * before `keep_from` (an offset as passed to scan callbacks).  In that
     * order: a crash between the two leaves the old lines in place, which
     * verification accepts when they chain to the checkpoint. */
    enum vg_err (*cut)(void *self, const char *base_text, uint64_t keep_from,
                       struct vg_diag *d);
};

/* Open a trail over any back end (ownership of `self` passes to the log;
 * ops->close frees it).  `key_base` names the key files
 * (key_base + ".key" / ".pub"); NULL with read_only. */
enum vg_err vg_audit_open_backend(const struct vg_audit_backend_ops *ops,
                                  void *self, const char *key_base,
                                  const struct vg_audit_opts *opts,
                                  struct vg_audit **out, struct vg_diag *d);

#endif

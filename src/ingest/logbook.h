/*
 * logbook.h — import of logbook entries (mains courantes, intervention
 * reports, partner reports) from CSV or JSON Lines described by a profile
 * of kind "logbook" (profiles/logbook-csv.profile is the plain layout
 * id,reported_at,occurred_from,occurred_to,source,origin,place,lon,lat,
 * category,text).
 *
 * Order of work for every record, which is the module's invariant:
 *   1. every field is scrubbed (vg_scrub) in memory; the free text under
 *      the policy of its source (partner:health / partner:social: dropped);
 *   2. only the scrubbed values are used from then on: validation, reject
 *      messages and the rejects file, the de-duplication key, the place
 *      lookup, the classifier, the store.  The original bytes are never
 *      written anywhere.
 * Every record read ends up imported, duplicate or rejected.  Rejected
 * records are written to the rejects file as CSV with the profile's column
 * names, plus reject_file, reject_line, reject_reason, so the file can be
 * fixed and imported again with the same profile.
 * The de-duplication key is the entry id (or, without one, the scrubbed
 * record): importing a file twice adds nothing, importing its fixed
 * rejects adds what was fixed.
 *
 * Ownership: everything passed in options is borrowed; results are value
 * structs.  The caller owns the store transaction.
 */
#ifndef VG_LOGBOOK_H
#define VG_LOGBOOK_H

#include <stdio.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/tz.h"
#include "ingest/classify.h"
#include "ingest/gazetteer.h"
#include "ingest/import.h"
#include "ingest/profile.h"
#include "ingest/scrub.h"

struct vg_logbook_opts {
    struct vg_store *store;
    struct vg_profile *profile;            /* kind logbook; bound per file */
    const struct vg_taxonomy *tax;
    const struct vg_import_geo *geo;       /* projection/areas; may be NULL */
    const struct vg_gazetteer *gaz;        /* places without lon/lat; may be NULL */
    const struct vg_scrub_names *names;    /* first names for the scrubber */
    unsigned scrub_flags;                  /* VG_SCRUB_HOUSE_NUMBERS ... */
    const struct vg_classifier *cl;        /* NULL: no classification */
    double review_threshold;               /* confidence under → pending; 0 = classifier's flag */
    FILE *rejects;                         /* NULL: count only */
};

struct vg_logbook_counts {
    struct vg_import_counts c;   /* rows, imported, duplicates, rejected */
    size_t classified;           /* new entries given a machine suggestion */
    size_t pending;              /* of which put in the review queue */
    size_t no_text;              /* new entries stored without text */
};

/* Import one file (JSON Lines when its name ends in .jsonl/.ndjson or its
 * first non-blank byte is '{', CSV otherwise) inside the caller's
 * transaction.  Fails only on errors that are not the data's fault (I/O,
 * store, memory, a header that does not fit the profile). */
enum vg_err vg_logbook_import(const struct vg_logbook_opts *o, const char *file,
                              struct vg_logbook_counts *c, struct vg_diag *d);

/* Result of vg_logbook_put_one.  `text` must be initialised by the caller
 * (vg_buf_init) and freed with vg_buf_free; it receives the SCRUBBED text
 * as stored (empty when none is kept). */
struct vg_logbook_one {
    int imported;          /* stored as a new entry */
    int rejected;          /* refused: `field` and `why` say why */
    char field[32];        /* profile column name at fault ("" = the record) */
    char why[600];         /* reason, quoting only scrubbed values */
    char category[64];     /* category code stored */
    char suggested[64];    /* classifier's suggestion ("" when not classified) */
    int classified;
    double confidence;     /* classifier's confidence, 0 when not classified */
    char status[16];       /* review row status ("" when none): pending, accepted, author */
    struct vg_buf text;
};

/* One entry given by its original fields by column role (in[VG_COL__COUNT],
 * e.g. from a web form), inside the caller's transaction: the same
 * scrub → validate → place → classify → store → review path as one record
 * of vg_logbook_import, recorded as one import named `origin_name`.  A
 * refused entry (bad time, unresolvable place...) or a duplicate returns
 * VG_OK with res->rejected; errors that are not the entry's fault fail. */
enum vg_err vg_logbook_put_one(const struct vg_logbook_opts *o, const char *origin_name,
                               const struct vg_str *in, struct vg_logbook_one *res,
                               struct vg_diag *d);

/* Header line of a rejects file for profile `p` (column names of the
 * profile in layout order, then reject_file,reject_line,reject_reason). */
void vg_logbook_rejects_header(FILE *f, const struct vg_profile *p);

/* One JSON Lines record split by column role.  `f[role]` points into
 * `mem` (or is {"", 0} when the key is absent or null); numbers and
 * booleans are given as their JSON text.  Free `mem` with vg_buf_free. */
struct vg_logbook_fields {
    struct vg_str f[VG_COL__COUNT];
    struct vg_buf mem;
};

/* Parse one line of JSON Lines: a JSON object whose keys are the profile's
 * column names (unknown keys are ignored).  VG_PARSE when the line is not
 * one JSON object or a field is an array/object; `d` then says where, but
 * never quotes the line (it may hold unscrubbed text).  `out->mem` must be
 * initialised (vg_buf_init) by the caller and is reset here. */
enum vg_err vg_logbook_jsonl_fields(const struct vg_profile *p, const char *line,
                                    size_t len, struct vg_logbook_fields *out,
                                    struct vg_diag *d);

/* A local time "YYYY-MM-DD[THH:MM[:SS]][offset]" (the profile's format)
 * in zone `tz` → UTC instant *t.  *has_time = 0 for a date alone (then *t
 * is local midnight).  A local time that does not exist (spring-forward
 * gap) or exists twice (fall-back overlap) is refused with VG_RANGE: the
 * first needs correcting, the second an explicit offset (+02:00/+01:00),
 * which must be "Z"/+00:00 or the zone's offset at that instant.  On
 * failure `why` (capacity `cap`) says what is wrong, quoting no input. */
enum vg_err vg_logbook_time(const struct vg_dtfmt *f, const struct vg_tz *tz,
                            const char *s, size_t len, int64_t *t, int *has_time,
                            char *why, size_t cap);

/* Scrubbing policy source for a logbook source (partner:health → health,
 * partner:social → social, partner:landlord → housing, else police). */
enum vg_scrub_source vg_logbook_scrub_source(enum vg_source s);

#endif

/*
 * scrub.h — personal-data scrubber for free text (logbook entries, partner
 * reports).  It runs before anything is stored: the caller passes the
 * original text, gets back a copy where every identifier found is replaced
 * by a typed placeholder ([NOM], [TEL], ...), and the original is never
 * written anywhere by this module (no logging, no temporary files).
 *
 * Ownership: the output goes into a caller-owned vg_buf; the first-name list
 * (struct vg_scrub_names) is owned by whoever loaded it and must outlive
 * every policy that points to it.
 */
#ifndef VG_SCRUB_H
#define VG_SCRUB_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

/* Kinds of identifier, in placeholder order.  Placeholder = "[" name "]". */
#define VG_SCRUB_KINDS(X)                                                     \
    X(NOM, "NOM")                                                             \
    X(TEL, "TEL")                                                             \
    X(EMAIL, "EMAIL")                                                         \
    X(PLAQUE, "PLAQUE")                                                       \
    X(DATE_NAISSANCE, "DATE_NAISSANCE")                                       \
    X(AGE, "AGE")                                                             \
    X(NIR, "NIR")                                                             \
    X(IBAN, "IBAN")                                                           \
    X(NUMERO, "NUMERO")

enum vg_scrub_kind {
#define VG__SCRUB_ENUM(k, s) VG_SCRUB_##k,
    VG_SCRUB_KINDS(VG__SCRUB_ENUM)
#undef VG__SCRUB_ENUM
    VG_SCRUB_NKINDS
};

/* Static placeholder name ("NOM", "TEL", ...) for `k`; "?" if out of range. */
const char *vg_scrub_kind_name(enum vg_scrub_kind k);

/* Where a text comes from.  Health and social partners keep no free text
 * at all: vg_scrub drops the whole text for them. */
enum vg_scrub_source {
    VG_SCRUB_SRC_POLICE = 0,      /* municipal police logbook, reports */
    VG_SCRUB_SRC_PARTNER_HOUSING, /* landlords, housing associations */
    VG_SCRUB_SRC_PARTNER_HEALTH,  /* carers, health services: no free text */
    VG_SCRUB_SRC_PARTNER_SOCIAL   /* social workers: no free text */
};

/* "police", "housing", "health", "social" → source; VG_USAGE otherwise. */
enum vg_err vg_scrub_source_parse(const char *s, enum vg_scrub_source *out);

/* Set of first names (case- and accent-insensitive).  Opaque. */
struct vg_scrub_names;

/* Load a first-name list: one name per line, '#' comments, UTF-8.  At most
 * 100 000 names of at most 63 bytes.  *out is owned by the caller
 * (vg_scrub_names_free).  Fails with VG_IO, VG_PARSE or VG_LIMIT. */
enum vg_err vg_scrub_names_load(const char *path, struct vg_scrub_names **out,
                                struct vg_diag *d);
/* The same from memory (`name` is used in messages only). */
enum vg_err vg_scrub_names_parse(const char *text, size_t len,
                                 const char *name,
                                 struct vg_scrub_names **out,
                                 struct vg_diag *d);
void vg_scrub_names_free(struct vg_scrub_names *n);
/* 1 if `w` (UTF-8, `len` bytes) is in the set, ignoring case and accents. */
int vg_scrub_names_has(const struct vg_scrub_names *n, const char *w,
                       size_t len);

enum {
    /* Replace house numbers before a street word ("12 bis rue X") by
     * [NUMERO]: for sources whose places are kept at street level. */
    VG_SCRUB_HOUSE_NUMBERS = 1u << 0
};

struct vg_scrub_policy {
    enum vg_scrub_source source;
    unsigned flags;                      /* VG_SCRUB_* */
    const struct vg_scrub_names *names;  /* first names; NULL = rule off */
    size_t max_len;                      /* input limit; 0 = 1 MiB */
};

/* One replaced span, in input byte offsets. */
struct vg_scrub_hit {
    size_t off, len;
    enum vg_scrub_kind kind;
};

struct vg_scrub_stats {
    size_t count[VG_SCRUB_NKINDS]; /* replacements per kind */
    int dropped;                   /* 1 if the whole text was dropped */
    /* Optional caller-owned array receiving each replaced span (for
     * measurement); NULL/0 = not wanted.  nhits counts every hit even
     * past hits_cap. */
    struct vg_scrub_hit *hits;
    size_t hits_cap, nhits;
};

/* Scrub `len` bytes of `in` (UTF-8; invalid bytes are copied as they are)
 * under `policy`, appending the result to `out` (which stays
 * NUL-terminated).  `stats` may be NULL; if not, its counters are reset
 * (hits/hits_cap are kept).  For health and social sources nothing is
 * appended and stats->dropped is set.  Fails with VG_LIMIT if `len` exceeds
 * the policy limit or `out` its own limit (then `out` holds a partial text
 * that the caller must discard), VG_NOMEM on allocation failure. */
enum vg_err vg_scrub(const struct vg_scrub_policy *policy, const char *in,
                     size_t len, struct vg_buf *out,
                     struct vg_scrub_stats *stats);

/* Checks exposed for tests and other modules. */
/* 1 if the 15 characters at `s` (13 digits or 2A/2B + 2-digit key, no
 * separators) form a NIR whose key is 97 - (n mod 97). */
int vg_scrub_nir_valid(const char *s, size_t len);
/* 1 if `s` (letters and digits only, no spaces) is an IBAN whose mod-97
 * check (ISO 13616) equals 1. */
int vg_scrub_iban_valid(const char *s, size_t len);

#endif

/*
 * gazetteer.h — resolve a written place ("12 r. Gambeta", "pl Abel
 * Surchamp", "gare") to coordinates from a small CSV gazetteer
 * `name,kind,lon,lat` (kind: street, place, address; WGS84 degrees).
 *
 * Matching works on keys: accents and case folded, punctuation removed,
 * abbreviations expanded (av → avenue, bd → boulevard, pl → place, r → rue,
 * st → saint...), articles dropped, a trailing town name / postcode
 * dropped.  An exact key wins; otherwise the entry at the smallest edit
 * distance within a bound that grows with the key length; a query without
 * the street type ("Gambetta") also matches "rue Gambetta" at a lower score.
 *
 * Ownership: the gazetteer owns its entries; match results point into it
 * and live as long as it does.
 */
#ifndef VG_GAZETTEER_H
#define VG_GAZETTEER_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

enum vg_gaz_kind { VG_GAZ_STREET = 0, VG_GAZ_PLACE, VG_GAZ_ADDRESS };

struct vg_gazetteer;

struct vg_gaz_match {
    const char *name;      /* entry name as written in the CSV */
    enum vg_gaz_kind kind;
    double lon, lat;
    double score;          /* 1 = exact key; lower for fuzzy matches */
    unsigned distance;     /* edit distance between keys */
};

/* Load / parse a gazetteer CSV (header "name,kind,lon,lat"; fields may be
 * RFC 4180 quoted).  Limits: 100 000 entries, 1 KiB per line.  VG_PARSE
 * names the line, the column and the bad value. */
enum vg_err vg_gazetteer_load(const char *path, struct vg_gazetteer **out,
                              struct vg_diag *d);
enum vg_err vg_gazetteer_parse(const char *text, size_t len, const char *name,
                               struct vg_gazetteer **out, struct vg_diag *d);
void vg_gazetteer_free(struct vg_gazetteer *g);
size_t vg_gazetteer_count(const struct vg_gazetteer *g);
/* Entry i (< count) in file order: its name as written and its WGS84
 * coordinates; the name lives as long as the gazetteer. */
void vg_gazetteer_entry(const struct vg_gazetteer *g, size_t i, const char **name,
                        double *lon, double *lat);

/* Best entry for `query`.  VG_NOTFOUND when nothing is close enough: then
 * d->msg names the query and the three closest candidates. */
enum vg_err vg_gazetteer_lookup(const struct vg_gazetteer *g, const char *query,
                                size_t len, struct vg_gaz_match *m,
                                struct vg_diag *d);

/* Matching key of `s` appended to `out` (see above).  `keep_number`: keep
 * a leading house number ("14 rue montesquieu"). */
enum vg_err vg_gazetteer_key(const char *s, size_t len, int keep_number,
                             struct vg_buf *out);

/* Levenshtein distance between a and b, or `bound` + 1 if it exceeds
 * `bound` (computation stops early). */
unsigned vg_gazetteer_distance(const char *a, size_t al, const char *b,
                               size_t bl, unsigned bound);

#endif

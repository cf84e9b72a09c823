/*
 * normalize.h — text normalisation for matching and classification:
 * Unicode NFKC with case folding (utf8proc), accents stripped, ligatures
 * expanded (œ → oe, æ → ae, ﬁ → fi), punctuation turned into single spaces;
 * and Snowball stemming (libstemmer), French for logbooks, English for the
 * US data sets.
 *
 * Ownership: results go into caller-owned vg_buf / char arrays; a stemmer is
 * owned by its creator (vg_normalize_stemmer_free).  A stemmer is not
 * thread-safe: use one per thread.
 */
#ifndef VG_NORMALIZE_H
#define VG_NORMALIZE_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

enum vg_lang { VG_LANG_FR = 0, VG_LANG_EN = 1 };

/* "fr"/"french" → VG_LANG_FR, "en"/"english" → VG_LANG_EN; VG_USAGE else. */
enum vg_err vg_normalize_lang_parse(const char *s, enum vg_lang *out);
const char *vg_normalize_lang_name(enum vg_lang l); /* "fr" or "en" */

enum {
    VG_NORM_KEEP_ACCENTS = 1u << 0 /* fold case but keep diacritics */
};

/* Append to `out` the normalised form of `len` bytes of UTF-8 `in`:
 * NFKC + case fold, accents stripped (unless VG_NORM_KEEP_ACCENTS),
 * ligatures expanded, every character that is not a letter or a digit
 * replaced by a space, runs of spaces collapsed, no leading/trailing space.
 * Invalid UTF-8 bytes count as spaces.  Fails with VG_NOMEM or VG_LIMIT. */
enum vg_err vg_normalize_text(const char *in, size_t len, unsigned flags,
                              struct vg_buf *out);

/* Fold one short word into `out` (capacity `cap`, NUL-terminated): case
 * folded, accents stripped, ligatures expanded, typographic apostrophe
 * (U+2019) turned into "'"; other punctuation kept.  Returns the folded
 * length, or 0 if it does not fit or `n` is 0. */
size_t vg_normalize_fold(const char *s, size_t n, char *out, size_t cap);

struct vg_stemmer;

/* New Snowball stemmer for `lang`.  VG_NOMEM/VG_UNSUPPORTED on failure. */
enum vg_err vg_normalize_stemmer_new(enum vg_lang lang, struct vg_stemmer **out);
void vg_normalize_stemmer_free(struct vg_stemmer *st);
enum vg_lang vg_normalize_stemmer_lang(const struct vg_stemmer *st);

/* Normalise `in` (as vg_normalize_text, accents kept for the stemmer), stem
 * every word, strip accents from the stems, and append them to `out`
 * separated by single spaces. */
enum vg_err vg_normalize_stem(struct vg_stemmer *st, const char *in,
                              size_t len, struct vg_buf *out);

#endif

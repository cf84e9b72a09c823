/*
 * normalize.c — NFKC + case folding + accent stripping with utf8proc, and
 * Snowball stemming with libstemmer.
 *
 * Invariant: everything this module appends is valid UTF-8 made of letters,
 * digits and single ASCII spaces (vg_normalize_fold excepted, which keeps
 * punctuation).  utf8proc works on caller-provided int32 buffers here, so
 * every heap block comes from vg_malloc; libstemmer allocates its own state
 * (freed by sb_stemmer_delete).
 */
#include "ingest/normalize.h"

#include <libstemmer.h>
#include <string.h>
#include <utf8proc.h>

#include "base/alloc.h"

#define NORM_MAX_INPUT ((size_t)16 << 20) /* 16 MiB of text per call */
#define MAX_WORD 256                  /* longer "words" are not stemmed */

struct vg_stemmer {
    struct sb_stemmer *sb;
    enum vg_lang lang;
};

enum vg_err vg_normalize_lang_parse(const char *s, enum vg_lang *out)
{
    if (s && (strcmp(s, "fr") == 0 || strcmp(s, "french") == 0)) {
        *out = VG_LANG_FR;
        return VG_OK;
    }
    if (s && (strcmp(s, "en") == 0 || strcmp(s, "english") == 0)) {
        *out = VG_LANG_EN;
        return VG_OK;
    }
    return VG_USAGE;
}

const char *vg_normalize_lang_name(enum vg_lang l)
{
    return l == VG_LANG_EN ? "en" : "fr";
}

static int is_word_cp(utf8proc_int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_ME) ||
           (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

/* Ligatures that NFKC leaves alone: œ, æ (after case folding). */
static const char *ligature(utf8proc_int32_t c)
{
    switch (c) {
    case 0x153: return "oe";
    case 0xE6: return "ae";
    default: return NULL;
    }
}

/* Copy `in` replacing invalid UTF-8 bytes by spaces (utf8proc rejects the
 * whole string otherwise). */
static enum vg_err sanitize(const char *in, size_t len, struct vg_buf *b)
{
    enum vg_err e = vg_buf_reserve(b, len);
    size_t i = 0;
    while (e == VG_OK && i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)in + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0 || c == 0) {
            e = vg_buf_addc(b, ' ');
            i++;
        } else {
            e = vg_buf_add(b, in + i, (size_t)n);
            i += (size_t)n;
        }
    }
    return e;
}

static enum vg_err emit_cp(struct vg_buf *out, utf8proc_int32_t c)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t n = utf8proc_encode_char(c, tmp);
    return vg_buf_add(out, tmp, (size_t)n);
}

enum vg_err vg_normalize_text(const char *in, size_t len, unsigned flags,
                              struct vg_buf *out)
{
    enum vg_err e = VG_OK;
    struct vg_buf clean;
    utf8proc_int32_t *cps = NULL;
    vg_buf_init(&clean, NORM_MAX_INPUT + 1);
    if (len > NORM_MAX_INPUT)
        return VG_LIMIT;
    if ((e = vg_buf_reserve(out, 0)) != VG_OK)
        return e;
    out->p[out->len] = '\0';
    if ((e = sanitize(in, len, &clean)) != VG_OK || clean.len == 0)
        goto out;
    utf8proc_option_t opt = UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                            UTF8PROC_COMPOSE | UTF8PROC_IGNORE | UTF8PROC_LUMP;
    if (!(flags & VG_NORM_KEEP_ACCENTS))
        opt |= UTF8PROC_STRIPMARK;
    utf8proc_ssize_t need = utf8proc_decompose(
        (const utf8proc_uint8_t *)clean.p, (utf8proc_ssize_t)clean.len, NULL, 0, opt);
    if (need < 0) {
        e = VG_INTERNAL;
        goto out;
    }
    cps = vg_reallocarray(NULL, (size_t)need + 1, sizeof *cps);
    if (cps == NULL) {
        e = VG_NOMEM;
        goto out;
    }
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)clean.p,
                                            (utf8proc_ssize_t)clean.len, cps,
                                            need, opt);
    if (n < 0 || n > need || (n = utf8proc_normalize_utf32(cps, n, opt)) < 0) {
        e = VG_INTERNAL;
        goto out;
    }
    int pending_space = 0, any = 0;
    for (utf8proc_ssize_t k = 0; k < n && e == VG_OK; k++) {
        utf8proc_int32_t c = cps[k];
        if (!is_word_cp(c)) {
            pending_space = any;
            continue;
        }
        if (pending_space)
            e = vg_buf_addc(out, ' ');
        pending_space = 0;
        any = 1;
        const char *lig = ligature(c);
        if (e == VG_OK)
            e = lig ? vg_buf_adds(out, lig) : emit_cp(out, c);
    }
out:
    vg_free(cps);
    vg_buf_free(&clean);
    return e;
}

size_t vg_normalize_fold(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    if (cap == 0)
        return 0;
    out[0] = '\0';
    while (i < n) {
        utf8proc_int32_t c, dst[8];
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0) {
            c = '?';
            k = 1;
        }
        i += (size_t)k;
        if (c == 0x2019 || c == 0x2018)
            c = '\'';
        int bc = 0;
        utf8proc_ssize_t m = utf8proc_decompose_char(
            c, dst, 8,
            UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE |
                UTF8PROC_STRIPMARK,
            &bc);
        if (m < 0 || m > 8) {
            dst[0] = '?';
            m = 1;
        }
        for (utf8proc_ssize_t j = 0; j < m; j++) {
            const char *lig = ligature(dst[j]);
            utf8proc_uint8_t tmp[4];
            size_t tl = lig ? 2 : (size_t)utf8proc_encode_char(dst[j], tmp);
            if (o + tl + 1 > cap) {
                out[0] = '\0';
                return 0;
            }
            memcpy(out + o, lig ? (const void *)lig : (const void *)tmp, tl);
            o += tl;
        }
    }
    out[o] = '\0';
    return o;
}

enum vg_err vg_normalize_stemmer_new(enum vg_lang lang, struct vg_stemmer **out)
{
    *out = NULL;
    struct vg_stemmer *st = vg_calloc(1, sizeof *st);
    if (st == NULL)
        return VG_NOMEM;
    st->lang = lang;
    st->sb = sb_stemmer_new(lang == VG_LANG_EN ? "english" : "french", "UTF_8");
    if (st->sb == NULL) {
        vg_free(st);
        return VG_UNSUPPORTED;
    }
    *out = st;
    return VG_OK;
}

void vg_normalize_stemmer_free(struct vg_stemmer *st)
{
    if (st == NULL)
        return;
    sb_stemmer_delete(st->sb);
    vg_free(st);
}

enum vg_lang vg_normalize_stemmer_lang(const struct vg_stemmer *st)
{
    return st->lang;
}

/* Stem one accented word and append it without accents. */
static enum vg_err stem_word(struct vg_stemmer *st, const char *w, size_t n,
                             struct vg_buf *out)
{
    const char *stem = w;
    size_t sl = n;
    if (n <= MAX_WORD) {
        const sb_symbol *r = sb_stemmer_stem(st->sb, (const sb_symbol *)w, (int)n);
        if (r == NULL)
            return VG_NOMEM;
        stem = (const char *)r;
        sl = (size_t)sb_stemmer_length(st->sb);
    }
    char folded[4 * MAX_WORD + 8];
    size_t fl = vg_normalize_fold(stem, sl, folded, sizeof folded);
    return fl ? vg_buf_add(out, folded, fl) : vg_buf_add(out, stem, sl);
}

enum vg_err vg_normalize_stem(struct vg_stemmer *st, const char *in,
                              size_t len, struct vg_buf *out)
{
    struct vg_buf norm;
    vg_buf_init(&norm, 0);
    enum vg_err e = vg_buf_reserve(out, 0);
    if (e == VG_OK) {
        out->p[out->len] = '\0';
        e = vg_normalize_text(in, len, VG_NORM_KEEP_ACCENTS, &norm);
    }
    size_t i = 0, words = 0;
    while (e == VG_OK && i < norm.len) {
        size_t j = i;
        while (j < norm.len && norm.p[j] != ' ')
            j++;
        if (words++ > 0)
            e = vg_buf_addc(out, ' ');
        if (e == VG_OK)
            e = stem_word(st, norm.p + i, j - i, out);
        i = j + 1;
    }
    vg_buf_free(&norm);
    return e;
}

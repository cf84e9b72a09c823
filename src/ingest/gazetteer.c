/*
 * gazetteer.c — named places and streets → WGS84 coordinates, with
 * normalised keys and bounded edit-distance matching.
 *
 * Invariant: every entry has a non-empty key (and a "core" key without the
 * leading street type, possibly equal to the key) computed once at load.
 * Lookups scan all entries: gazetteers are municipal-sized (hundreds to a
 * few thousand names), so a scan with an early-exit distance is enough.
 * Memory: entries and their strings are owned by the gazetteer.
 */
#include "ingest/gazetteer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "ingest/normalize.h"

#define MAX_ENTRIES 100000
#define MAX_LINE 1024
#define MAX_KEY 255

struct entry {
    char *name, *key, *core;
    enum vg_gaz_kind kind;
    double lon, lat;
};

struct vg_gazetteer {
    struct entry *e;
    size_t n, cap;
};

static const char *const ABBREV[][2] = {
    {"r", "rue"}, {"av", "avenue"}, {"ave", "avenue"}, {"bd", "boulevard"},
    {"bld", "boulevard"}, {"boul", "boulevard"}, {"pl", "place"},
    {"st", "saint"}, {"ste", "sainte"}, {"ch", "chemin"}, {"che", "chemin"},
    {"chem", "chemin"}, {"imp", "impasse"}, {"all", "allee"},
    {"crs", "cours"}, {"rte", "route"}, {"sq", "square"}, {"fg", "faubourg"},
    {"fbg", "faubourg"}, {"res", "residence"}, {"gal", "general"},
    {"gen", "general"}, {"mal", "marechal"}, {"pdt", "president"},
    {"pres", "president"}, {"dr", "docteur"}, {"q", "quai"},
    {"allees", "allee"}, {"lot", "lotissement"}, {"zi", "zone industrielle"},
    {"za", "zone artisanale"}, {NULL, NULL}};
static const char *const STOP[] = {"de", "du", "des", "la", "le", "les", "l",
                                   "d", "a", "au", "aux", "en", NULL};
static const char *const TYPES[] = {"rue", "avenue", "boulevard", "place",
                                    "chemin", "impasse", "allee", "cours",
                                    "route", "square", "faubourg", "quai",
                                    "residence", "lotissement", NULL};
static const char *const TOWN[] = {"libourne", "33500", NULL};
static const char *const NUMSFX[] = {"bis", "ter", "quater", "b", "t", NULL};

static int in_list(const char *const *l, const char *w, size_t n)
{
    for (; *l; l++)
        if (strlen(*l) == n && memcmp(*l, w, n) == 0)
            return 1;
    return 0;
}

static int all_digits(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (w[i] < '0' || w[i] > '9')
            return 0;
    return n > 0;
}

enum vg_err vg_gazetteer_key(const char *s, size_t len, int keep_number,
                             struct vg_buf *out)
{
    struct vg_buf norm;
    vg_buf_init(&norm, 0);
    enum vg_err e = vg_buf_reserve(out, 0);
    if (e == VG_OK) {
        out->p[out->len] = '\0';
        e = vg_normalize_text(s, len, 0, &norm);
    }
    const char *w[64];
    size_t wl[64], n = 0, start = out->len;
    for (size_t i = 0; e == VG_OK && norm.p && i < norm.len && n < 64;) {
        size_t j = i;
        while (j < norm.len && norm.p[j] != ' ')
            j++;
        w[n] = norm.p + i;
        wl[n++] = j - i;
        i = j + 1;
    }
    while (n > 0 && in_list(TOWN, w[n - 1], wl[n - 1]))
        n--;
    size_t k = 0;
    if (!keep_number && k < n && all_digits(w[k], wl[k])) {
        k++;
        if (k < n && in_list(NUMSFX, w[k], wl[k]))
            k++;
    }
    for (int first = 1; e == VG_OK && k < n; k++) {
        const char *t = w[k];
        size_t tl = wl[k];
        if (in_list(STOP, t, tl))
            continue;
        for (size_t a = 0; ABBREV[a][0]; a++)
            if (strlen(ABBREV[a][0]) == tl && memcmp(ABBREV[a][0], t, tl) == 0) {
                t = ABBREV[a][1];
                tl = strlen(t);
                break;
            }
        if (!first)
            e = vg_buf_addc(out, ' ');
        if (e == VG_OK)
            e = vg_buf_add(out, t, tl);
        first = 0;
    }
    if (e == VG_OK && out->len - start > MAX_KEY)
        e = VG_LIMIT;
    vg_buf_free(&norm);
    return e;
}

unsigned vg_gazetteer_distance(const char *a, size_t al, const char *b,
                               size_t bl, unsigned bound)
{
    unsigned row[MAX_KEY + 2], prev[MAX_KEY + 2];
    if (al > MAX_KEY || bl > MAX_KEY)
        return bound + 1;
    if ((al > bl ? al - bl : bl - al) > bound)
        return bound + 1;
    for (size_t j = 0; j <= bl; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= al; i++) {
        unsigned best = row[0] = (unsigned)i;
        for (size_t j = 1; j <= bl; j++) {
            unsigned sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            unsigned del = prev[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (row[j] < best)
                best = row[j];
        }
        if (best > bound)
            return bound + 1;
        memcpy(prev, row, (bl + 1) * sizeof *row);
    }
    return prev[bl] > bound ? bound + 1 : prev[bl];
}

/* ---- loading ----------------------------------------------------------- */

void vg_gazetteer_free(struct vg_gazetteer *g)
{
    if (g == NULL)
        return;
    for (size_t i = 0; i < g->n; i++) {
        vg_free(g->e[i].name);
        vg_free(g->e[i].key);
        vg_free(g->e[i].core);
    }
    vg_free(g->e);
    vg_free(g);
}

size_t vg_gazetteer_count(const struct vg_gazetteer *g)
{
    return g ? g->n : 0;
}

void vg_gazetteer_entry(const struct vg_gazetteer *g, size_t i, const char **name,
                        double *lon, double *lat)
{
    *name = g->e[i].name;
    *lon = g->e[i].lon;
    *lat = g->e[i].lat;
}

/* Split one CSV line into 4 fields (RFC 4180 quotes, "" escapes) written
 * NUL-separated into buf; returns the field count or -1 on a bad quote. */
static int split4(const char *s, size_t n, char *buf, char *f[4])
{
    size_t o = 0, i = 0;
    int nf = 0;
    while (nf < 5) {
        if (nf < 4)
            f[nf] = buf + o;
        nf++;
        if (i < n && s[i] == '"') {
            for (i++;; i++) {
                if (i >= n)
                    return -1;
                if (s[i] == '"' && i + 1 < n && s[i + 1] == '"')
                    buf[o++] = s[i++];
                else if (s[i] == '"')
                    break;
                else
                    buf[o++] = s[i];
            }
            i++;
            if (i < n && s[i] != ',')
                return -1;
        }
        while (i < n && s[i] != ',')
            buf[o++] = s[i++];
        buf[o++] = '\0';
        if (i >= n)
            break;
        i++;
    }
    return nf;
}

static enum vg_err add_entry(struct vg_gazetteer *g, char *f[4], const char *name,
                             size_t line, struct vg_diag *d)
{
    static const char *const kinds[] = {"street", "place", "address", NULL};
    int kind = -1;
    for (int k = 0; kinds[k]; k++)
        if (strcmp(f[1], kinds[k]) == 0)
            kind = k;
    if (f[0][0] == '\0')
        return vg_fail(d, VG_PARSE, name, line, 1, "empty name");
    if (kind < 0)
        return vg_fail(d, VG_PARSE, name, line, 2,
                       "kind \"%.40s\" is not street, place or address", f[1]);
    double c[2];
    for (int k = 0; k < 2; k++) {
        char *end;
        c[k] = strtod(f[2 + k], &end);
        double lim = k ? 90 : 180;
        if (end == f[2 + k] || *end != '\0' || !(fabs(c[k]) <= lim))
            return vg_fail(d, VG_PARSE, name, line, (size_t)(3 + k),
                           "%s \"%.40s\" is not a number in [-%g, %g] (WGS84 degrees)",
                           k ? "latitude" : "longitude", f[2 + k], lim, lim);
    }
    if (g->n >= MAX_ENTRIES)
        return vg_fail(d, VG_LIMIT, name, line, 0, "more than %d entries", MAX_ENTRIES);
    if (g->n == g->cap) {
        size_t nc = g->cap ? g->cap * 2 : 64;
        struct entry *ne = vg_reallocarray(g->e, nc, sizeof *ne);
        if (ne == NULL)
            return VG_NOMEM;
        g->e = ne;
        g->cap = nc;
    }
    struct vg_buf key;
    vg_buf_init(&key, 0);
    enum vg_err e = vg_gazetteer_key(f[0], strlen(f[0]), kind == VG_GAZ_ADDRESS, &key);
    if (e == VG_OK && key.len == 0)
        e = vg_fail(d, VG_PARSE, name, line, 1, "name \"%.60s\" has no letters or digits", f[0]);
    struct entry en = {vg_strdup(f[0]), key.p, NULL, (enum vg_gaz_kind)kind, c[0], c[1]};
    key.p = NULL;
    if (e == VG_OK && (en.name == NULL || en.key == NULL))
        e = VG_NOMEM;
    if (e == VG_OK) {
        const char *sp = strchr(en.key, ' ');
        size_t tl = sp ? (size_t)(sp - en.key) : 0;
        en.core = vg_strdup(sp && in_list(TYPES, en.key, tl) ? sp + 1 : en.key);
        if (en.core == NULL)
            e = VG_NOMEM;
    }
    if (e == VG_OK) {
        g->e[g->n++] = en;
    } else {
        vg_free(en.name);
        vg_free(en.key);
        vg_free(en.core);
    }
    vg_buf_free(&key);
    return e;
}

enum vg_err vg_gazetteer_parse(const char *text, size_t len, const char *name,
                               struct vg_gazetteer **out, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    size_t i = 0, line = 0;
    struct vg_gazetteer *g = vg_calloc(1, sizeof *g);
    *out = NULL;
    if (g == NULL)
        return VG_NOMEM;
    while (e == VG_OK && i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        size_t n = j - i;
        const char *s = text + i;
        i = j + 1;
        line++;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (n > MAX_LINE) {
            e = vg_fail(d, VG_LIMIT, name, line, 0, "line longer than %d bytes", MAX_LINE);
            break;
        }
        char buf[MAX_LINE + 8], *f[4];
        int nf = n ? split4(s, n, buf, f) : 0;
        if (line == 1) {
            if (nf != 4 || strcmp(f[0], "name") || strcmp(f[1], "kind") ||
                strcmp(f[2], "lon") || strcmp(f[3], "lat"))
                e = vg_fail(d, VG_PARSE, name, 1, 1,
                            "header must be \"name,kind,lon,lat\"");
            continue;
        }
        if (n == 0)
            continue;
        if (nf != 4)
            e = vg_fail(d, VG_PARSE, name, line, 0,
                        "expected 4 fields (name,kind,lon,lat), found %s",
                        nf < 0 ? "an unterminated quote" : nf < 4 ? "fewer" : "more");
        else
            e = add_entry(g, f, name, line, d);
    }
    if (e == VG_OK && line == 0)
        e = vg_fail(d, VG_PARSE, name, 1, 1, "empty file (header name,kind,lon,lat expected)");
    if (e != VG_OK)
        vg_gazetteer_free(g);
    else
        *out = g;
    return e;
}

enum vg_err vg_gazetteer_load(const char *path, struct vg_gazetteer **out,
                              struct vg_diag *d)
{
    struct vg_buf b;
    vg_buf_init(&b, (size_t)64 << 20);
    *out = NULL;
    enum vg_err e = vg_buf_read_file(&b, path, d);
    if (e == VG_OK)
        e = vg_gazetteer_parse(b.p ? b.p : "", b.len, path, out, d);
    vg_buf_free(&b);
    return e;
}

/* ---- lookup -------------------------------------------------------------- */

static unsigned bound_for(size_t len)
{
    return len <= 4 ? 1u : len <= 10 ? 2u : len <= 20 ? 3u : 4u;
}

struct cand {
    size_t idx;
    unsigned dist;
    double score;
};

/* Compare query key q to entry i (full key, and core key at a 0.9 score
 * factor); keep the three best candidates (unbounded distances, for the
 * error message) in c[]. */
static void consider(const struct vg_gazetteer *g, size_t i, const char *q,
                     size_t ql, struct cand c[3])
{
    const char *keys[2] = {g->e[i].key, g->e[i].core};
    struct cand x = {i, 0, -1};
    for (int k = 0; k < 2; k++) {
        size_t kl = strlen(keys[k]);
        unsigned dist = vg_gazetteer_distance(q, ql, keys[k], kl, 64);
        size_t m = ql > kl ? ql : kl;
        double score = (1.0 - (double)dist / (double)(m ? m : 1)) * (k ? 0.9 : 1.0);
        if (score > x.score) {
            x.score = score;
            x.dist = dist;
        }
    }
    int p = 0;
    while (p < 3 && c[p].idx != (size_t)-1 && c[p].score >= x.score)
        p++;
    if (p == 3)
        return;
    for (int s = 2; s > p; s--)
        c[s] = c[s - 1];
    c[p] = x;
}

static enum vg_err lookup_key(const struct vg_gazetteer *g, const char *q,
                              size_t ql, struct cand c[3])
{
    for (int s = 0; s < 3; s++)
        c[s] = (struct cand){(size_t)-1, 0, -1};
    for (size_t i = 0; i < g->n; i++)
        consider(g, i, q, ql, c);
    /* within the length-dependent bound, and more alike than different */
    return c[0].idx != (size_t)-1 && c[0].dist <= bound_for(ql) && c[0].score > 0.5
               ? VG_OK
               : VG_NOTFOUND;
}

enum vg_err vg_gazetteer_lookup(const struct vg_gazetteer *g, const char *query,
                                size_t len, struct vg_gaz_match *m,
                                struct vg_diag *d)
{
    struct vg_buf kn, kk;
    struct cand c[3];
    vg_buf_init(&kn, 0);
    vg_buf_init(&kk, 0);
    memset(m, 0, sizeof *m);
    enum vg_err e = vg_gazetteer_key(query, len, 1, &kn);
    if (e == VG_OK)
        e = vg_gazetteer_key(query, len, 0, &kk);
    if (e == VG_LIMIT) {
        e = vg_fail(d, VG_LIMIT, "", 0, 0, "place \"%.60s...\" is too long", query);
        goto out;
    }
    if (e != VG_OK)
        goto out;
    if (kk.len == 0) {
        e = vg_fail(d, VG_NOTFOUND, "", 0, 0, "place \"%.*s\" has no letters",
                    (int)(len > 60 ? 60 : len), query);
        goto out;
    }
    /* with the house number first (addresses), then without (streets) */
    e = kn.len > kk.len ? lookup_key(g, kn.p, kn.len, c) : VG_NOTFOUND;
    if (e != VG_OK || c[0].dist > 0)
        e = lookup_key(g, kk.p, kk.len, c);
    if (e == VG_OK) {
        const struct entry *en = &g->e[c[0].idx];
        *m = (struct vg_gaz_match){en->name, en->kind, en->lon, en->lat,
                                   c[0].score, c[0].dist};
        goto out;
    }
    char near[240] = "";
    for (int s = 0; s < 3 && c[s].idx != (size_t)-1; s++) {
        size_t l = strlen(near);
        snprintf(near + l, sizeof near - l, "%s\"%s\" (distance %u)", s ? ", " : "",
                 g->e[c[s].idx].name, c[s].dist);
    }
    e = vg_fail(d, VG_NOTFOUND, "", 0, 0,
                "no place matches \"%.*s\" (key \"%s\"); closest: %s",
                (int)(len > 60 ? 60 : len), query, kk.p,
                near[0] ? near : "none (empty gazetteer)");
out:
    vg_buf_free(&kn);
    vg_buf_free(&kk);
    return e;
}

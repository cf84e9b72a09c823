/*
 * classify.c — keyword rules with negation + liblinear logistic regression.
 *
 * Text → clauses (split on . ; : ! ? ( ) , and newlines) → normalised,
 * stemmed tokens with a "|" token between clauses.  Rules match runs of
 * stems inside a clause and are dropped when a negation word stands in the
 * three tokens before them.  Model features are the distinct unigrams and
 * in-clause bigrams ("a_b") of the entry, weighted by IDF and L2-normalised
 * (Joachims-style TF-IDF with binary TF); liblinear's L2R_LR solver gives
 * one-vs-rest probabilities (Fan et al., JMLR 9, 2008).
 *
 * Invariant: every category code used by a rule or the model appears once
 * in c->cats; the model's liblinear labels are indices into c->cats.
 * Memory: the classifier owns everything it points to, all through
 * vg_malloc; liblinear's own trained model is copied and freed at once.
 */
#include "ingest/classify.h"

#include <linear.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"

#define MAX_RULES 4096
#define MAX_PHRASE 8
#define MAX_CATS 256
#define MAX_TERMS 2000000
#define MAX_TEXT ((size_t)1 << 20)
#define NEG_WINDOW 3

struct rule {
    int cat;
    double w;
    size_t n;
    char *words[MAX_PHRASE]; /* stems */
    char *phrase;            /* as written, for explanations */
};

/* String → index hash table (open addressing, linear probing). */
struct strtab {
    char **keys; /* owned */
    size_t *vals;
    size_t cap, n;
};

struct vg_classifier {
    struct vg_classifier_opts o;
    enum vg_class_mode mode;
    struct vg_stemmer *st;
    char *cats[MAX_CATS];
    size_t ncats;
    struct rule *rules;
    size_t nrules, rcap;
    char **neg;
    size_t nneg;
    /* model */
    int has_model;
    struct strtab vocab; /* term → feature index 1..V */
    char **terms;        /* borrowed from vocab.keys, index-1 */
    double *idf;         /* per feature, index-1 */
    struct model m;      /* w and label allocated with vg_malloc */
};

/* ---- hash table --------------------------------------------------------- */

static uint64_t hash_str(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void strtab_free(struct strtab *t)
{
    for (size_t i = 0; i < t->cap; i++)
        vg_free(t->keys ? t->keys[i] : NULL);
    vg_free(t->keys);
    vg_free(t->vals);
    memset(t, 0, sizeof *t);
}

static size_t strtab_slot(const struct strtab *t, const char *k, size_t n)
{
    size_t i = (size_t)hash_str(k, n) & (t->cap - 1);
    while (t->keys[i] && !(strncmp(t->keys[i], k, n) == 0 && t->keys[i][n] == '\0'))
        i = (i + 1) & (t->cap - 1);
    return i;
}

/* Value of key, or (size_t)-1. */
static size_t strtab_get(const struct strtab *t, const char *k, size_t n)
{
    if (t->cap == 0)
        return (size_t)-1;
    size_t i = strtab_slot(t, k, n);
    return t->keys[i] ? t->vals[i] : (size_t)-1;
}

static enum vg_err strtab_grow(struct strtab *t)
{
    struct strtab nt = {0};
    nt.cap = t->cap ? t->cap * 2 : 1024;
    nt.keys = vg_calloc(nt.cap, sizeof *nt.keys);
    nt.vals = vg_calloc(nt.cap, sizeof *nt.vals);
    if (nt.keys == NULL || nt.vals == NULL) {
        vg_free(nt.keys);
        vg_free(nt.vals);
        return VG_NOMEM;
    }
    for (size_t i = 0; i < t->cap; i++)
        if (t->keys[i]) {
            size_t j = strtab_slot(&nt, t->keys[i], strlen(t->keys[i]));
            nt.keys[j] = t->keys[i];
            nt.vals[j] = t->vals[i];
        }
    nt.n = t->n;
    vg_free(t->keys);
    vg_free(t->vals);
    *t = nt;
    return VG_OK;
}

/* Slot of key, inserted with value `v` if absent; *slot receives it. */
static enum vg_err strtab_put(struct strtab *t, const char *k, size_t n,
                              size_t v, size_t *slot)
{
    if ((t->n + 1) * 2 > t->cap) {
        if (t->n >= MAX_TERMS * 2)
            return VG_LIMIT;
        enum vg_err e = strtab_grow(t);
        if (e != VG_OK)
            return e;
    }
    size_t i = strtab_slot(t, k, n);
    if (t->keys[i] == NULL) {
        if ((t->keys[i] = vg_strndup(k, n)) == NULL)
            return VG_NOMEM;
        t->vals[i] = v;
        t->n++;
    }
    *slot = i;
    return VG_OK;
}

/* ---- tokens -------------------------------------------------------------- */

struct toks {
    struct vg_buf text; /* stems separated by NUL bytes */
    size_t *off, *len;
    size_t n, cap;
};

static void toks_free(struct toks *t)
{
    vg_buf_free(&t->text);
    vg_free(t->off);
    vg_free(t->len);
}

static int is_break(char ch)
{
    return ch != '\0' && strchr(".;:!?(),\n\r", ch) != NULL;
}

/* Split text into clause-marked stems. */
static enum vg_err tokenize(struct vg_stemmer *st, const char *s, size_t len,
                            struct toks *t)
{
    memset(t, 0, sizeof *t);
    vg_buf_init(&t->text, 0);
    enum vg_err e = len > MAX_TEXT ? VG_LIMIT : VG_OK;
    size_t i = 0;
    while (e == VG_OK && i < len) {
        size_t j = i;
        while (j < len && !is_break(s[j]))
            j++;
        if (j > i) {
            if (t->text.len > 0)
                e = vg_buf_adds(&t->text, " | ");
            if (e == VG_OK)
                e = vg_normalize_stem(st, s + i, j - i, &t->text);
        }
        i = j + 1;
    }
    /* index the words */
    for (size_t k = 0; e == VG_OK && k < t->text.len;) {
        size_t j = k;
        while (j < t->text.len && t->text.p[j] != ' ')
            j++;
        if (j > k) {
            if (t->n == t->cap) {
                size_t nc = t->cap ? t->cap * 2 : 64;
                size_t *no = vg_reallocarray(t->off, nc, sizeof *no);
                if (no)
                    t->off = no;
                size_t *nl = no ? vg_reallocarray(t->len, nc, sizeof *nl) : NULL;
                if (nl == NULL) {
                    e = VG_NOMEM;
                    break;
                }
                t->len = nl;
                t->cap = nc;
            }
            t->off[t->n] = k;
            t->len[t->n++] = j - k;
        }
        if (j < t->text.len)
            t->text.p[j] = '\0';
        k = j + 1;
    }
    return e;
}

static const char *tok(const struct toks *t, size_t i)
{
    return t->text.p + t->off[i];
}

static int is_clause_mark(const struct toks *t, size_t i)
{
    return t->len[i] == 1 && tok(t, i)[0] == '|';
}

/* ---- categories, rules --------------------------------------------------- */

/* Index of category `code`, added if new; -1 if the code is invalid or
 * there are too many, CAT_NOMEM on allocation failure. */
#define CAT_NOMEM (-2)
static int cat_index(struct vg_classifier *c, const char *code, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if ((unsigned char)code[k] < 0x20 || code[k] == 0x7f)
            return -1; /* no control bytes (NUL!) in category codes */
    for (size_t i = 0; i < c->ncats; i++)
        if (strlen(c->cats[i]) == n && memcmp(c->cats[i], code, n) == 0)
            return (int)i;
    if (c->ncats >= MAX_CATS || n == 0 || n >= VG_CLASS_CODE_MAX)
        return -1;
    if ((c->cats[c->ncats] = vg_strndup(code, n)) == NULL)
        return CAT_NOMEM;
    return (int)c->ncats++;
}

static void rule_free(struct rule *r)
{
    for (size_t k = 0; k < r->n; k++)
        vg_free(r->words[k]);
    vg_free(r->phrase);
}

static enum vg_err add_negation(struct vg_classifier *c, const char *w, size_t n)
{
    struct vg_buf b;
    vg_buf_init(&b, 4096);
    enum vg_err e = vg_normalize_stem(c->st, w, n, &b);
    if (e == VG_OK && b.len > 0 && strchr(b.p, ' ') == NULL) {
        char **nv = vg_reallocarray(c->neg, c->nneg + 1, sizeof *nv);
        if (nv == NULL) {
            e = VG_NOMEM;
        } else {
            c->neg = nv;
            c->neg[c->nneg++] = b.p;
            b.p = NULL;
        }
    }
    vg_buf_free(&b);
    return e;
}

enum vg_err vg_classifier_new(const struct vg_classifier_opts *opts,
                              struct vg_classifier **out)
{
    static const char *const negs[] = {"pas", "aucun", "aucune", "sans", "ni",
                                       "jamais", "rien", "non", "absence",
                                       "no", "not", "without", NULL};
    *out = NULL;
    struct vg_classifier *c = vg_calloc(1, sizeof *c);
    if (c == NULL)
        return VG_NOMEM;
    if (opts)
        c->o = *opts;
    if (c->o.C <= 0)
        c->o.C = 4.0;
    if (c->o.min_df <= 0)
        c->o.min_df = 1;
    if (c->o.rule_weight <= 0)
        c->o.rule_weight = 2.0;
    if (c->o.review_threshold <= 0)
        c->o.review_threshold = 0.5;
    if (c->o.bigrams == 0)
        c->o.bigrams = 1;
    enum vg_err e = vg_normalize_stemmer_new(c->o.lang, &c->st);
    for (size_t k = 0; e == VG_OK && negs[k]; k++)
        e = add_negation(c, negs[k], strlen(negs[k]));
    if (e == VG_OK && cat_index(c, "autre", 5) < 0)
        e = VG_NOMEM;
    if (e != VG_OK)
        vg_classifier_free(c);
    else
        *out = c;
    return e;
}

static void model_clear(struct vg_classifier *c)
{
    strtab_free(&c->vocab);
    vg_free(c->terms);
    vg_free(c->idf);
    vg_free(c->m.w);
    vg_free(c->m.label);
    c->terms = NULL;
    c->idf = NULL;
    memset(&c->m, 0, sizeof c->m);
    c->has_model = 0;
}

void vg_classifier_free(struct vg_classifier *c)
{
    if (c == NULL)
        return;
    model_clear(c);
    for (size_t i = 0; i < c->nrules; i++)
        rule_free(&c->rules[i]);
    vg_free(c->rules);
    for (size_t i = 0; i < c->nneg; i++)
        vg_free(c->neg[i]);
    vg_free(c->neg);
    for (size_t i = 0; i < c->ncats; i++)
        vg_free(c->cats[i]);
    vg_normalize_stemmer_free(c->st);
    vg_free(c);
}

void vg_classifier_set_mode(struct vg_classifier *c, enum vg_class_mode m)
{
    c->mode = m;
}

size_t vg_classifier_rule_count(const struct vg_classifier *c)
{
    return c->nrules;
}

/* One rule line: "code weight phrase..." (fields split on blanks). */
static enum vg_err parse_rule(struct vg_classifier *c, struct vg_str line,
                              const char *name, size_t lno, struct vg_diag *d)
{
    size_t i = 0, cs, ce;
    while (i < line.len && line.p[i] != ' ' && line.p[i] != '\t')
        i++;
    cs = 0;
    ce = i;
    if (ce == 9 && memcmp(line.p, "!negation", 9) == 0) {
        struct vg_str w = vg_str_trim((struct vg_str){line.p + i, line.len - i});
        return add_negation(c, w.p, w.len);
    }
    char num[32];
    while (i < line.len && (line.p[i] == ' ' || line.p[i] == '\t'))
        i++;
    size_t ws = i;
    while (i < line.len && line.p[i] != ' ' && line.p[i] != '\t')
        i++;
    char *endp = NULL;
    snprintf(num, sizeof num, "%.*s", (int)(i - ws), line.p + ws);
    double w = strtod(num, &endp);
    if (i == ws || endp == num || *endp != '\0' || !(w > -100 && w < 100))
        return vg_fail(d, VG_PARSE, name, lno, 2,
                       "weight \"%s\" is not a number between -100 and 100", num);
    struct vg_str ph = vg_str_trim((struct vg_str){line.p + i, line.len - i});
    if (ph.len == 0)
        return vg_fail(d, VG_PARSE, name, lno, 3, "rule for \"%.*s\" has no phrase",
                       (int)(ce - cs), line.p);
    if (c->nrules >= MAX_RULES)
        return vg_fail(d, VG_LIMIT, name, lno, 1, "more than %d rules", MAX_RULES);
    int cat = cat_index(c, line.p + cs, ce - cs);
    if (cat == CAT_NOMEM)
        return VG_NOMEM;
    if (cat < 0)
        return vg_fail(d, VG_LIMIT, name, lno, 1,
                       "category \"%.*s\" empty, too long, with control bytes, or too many categories (max %d)",
                       (int)(ce - cs), line.p, MAX_CATS);
    if (c->nrules == c->rcap) {
        size_t nc = c->rcap ? c->rcap * 2 : 64;
        struct rule *nr = vg_reallocarray(c->rules, nc, sizeof *nr);
        if (nr == NULL)
            return VG_NOMEM;
        c->rules = nr;
        c->rcap = nc;
    }
    struct rule r = {cat, w, 0, {NULL}, NULL};
    struct toks t;
    enum vg_err e = tokenize(c->st, ph.p, ph.len, &t);
    for (size_t k = 0; e == VG_OK && k < t.n; k++) {
        if (r.n >= MAX_PHRASE || is_clause_mark(&t, k)) {
            e = vg_fail(d, VG_PARSE, name, lno, 3,
                        "phrase \"%.*s\" has more than %d words or punctuation",
                        (int)ph.len, ph.p, MAX_PHRASE);
            break;
        }
        if ((r.words[r.n] = vg_strdup(tok(&t, k))) == NULL)
            e = VG_NOMEM;
        else
            r.n++;
    }
    if (e == VG_OK && r.n == 0)
        e = vg_fail(d, VG_PARSE, name, lno, 3, "phrase has no word");
    if (e == VG_OK && (r.phrase = vg_strndup(ph.p, ph.len)) == NULL)
        e = VG_NOMEM;
    toks_free(&t);
    if (e != VG_OK)
        rule_free(&r);
    else
        c->rules[c->nrules++] = r;
    return e;
}

enum vg_err vg_classifier_parse_rules(struct vg_classifier *c, const char *text,
                                      size_t len, const char *name,
                                      struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    size_t i = 0, lno = 0;
    while (e == VG_OK && i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        lno++;
        struct vg_str line = vg_str_trim((struct vg_str){text + i, j - i});
        i = j + 1;
        if (line.len == 0 || line.p[0] == '#')
            continue;
        e = parse_rule(c, line, name, lno, d);
    }
    return e;
}

enum vg_err vg_classifier_load_rules(struct vg_classifier *c, const char *path,
                                     struct vg_diag *d)
{
    struct vg_buf b;
    vg_buf_init(&b, (size_t)4 << 20);
    enum vg_err e = vg_buf_read_file(&b, path, d);
    if (e == VG_OK)
        e = vg_classifier_parse_rules(c, b.p ? b.p : "", b.len, path, d);
    vg_buf_free(&b);
    return e;
}

/* ---- features ------------------------------------------------------------ */

/* Call fn(term, len, arg) for every unigram and in-clause bigram of t
 * (duplicates included; one-letter tokens and clause marks skipped). */
typedef enum vg_err (*term_fn)(const char *term, size_t n, void *arg);

static enum vg_err for_terms(const struct toks *t, int bigrams, term_fn fn,
                             void *arg)
{
    char big[512];
    enum vg_err e = VG_OK;
    for (size_t i = 0; e == VG_OK && i < t->n; i++) {
        if (is_clause_mark(t, i) || t->len[i] < 2)
            continue;
        e = fn(tok(t, i), t->len[i], arg);
        if (e == VG_OK && bigrams > 0 && i + 1 < t->n && !is_clause_mark(t, i + 1) &&
            t->len[i + 1] >= 2 && t->len[i] + t->len[i + 1] + 1 < sizeof big) {
            int n = snprintf(big, sizeof big, "%s_%s", tok(t, i), tok(t, i + 1));
            e = fn(big, (size_t)n, arg);
        }
    }
    return e;
}

struct featvec {
    struct feature_node *x;
    size_t n, cap;
    const struct strtab *vocab;
};

static enum vg_err feat_add(const char *term, size_t n, void *arg)
{
    struct featvec *f = arg;
    size_t idx = strtab_get(f->vocab, term, n);
    if (idx == (size_t)-1)
        return VG_OK;
    for (size_t k = 0; k < f->n; k++)
        if (f->x[k].index == (int)idx)
            return VG_OK;
    if (f->n + 2 >= f->cap) {
        size_t nc = f->cap ? f->cap * 2 : 32;
        struct feature_node *nx = vg_reallocarray(f->x, nc, sizeof *nx);
        if (nx == NULL)
            return VG_NOMEM;
        f->x = nx;
        f->cap = nc;
    }
    f->x[f->n++] = (struct feature_node){(int)idx, 1.0};
    return VG_OK;
}

static int cmp_node(const void *a, const void *b)
{
    const struct feature_node *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

/* Feature vector of a token list: IDF weights, L2-normalised, sorted,
 * then the bias node and the -1 terminator.  f->x owned by the caller. */
static enum vg_err featurize(const struct vg_classifier *c, const struct toks *t,
                             struct featvec *f)
{
    f->vocab = &c->vocab;
    enum vg_err e = for_terms(t, c->o.bigrams, feat_add, f);
    if (e == VG_OK && f->n + 2 >= f->cap) {
        struct feature_node *nx = vg_reallocarray(f->x, f->n + 2, sizeof *nx);
        if (nx == NULL)
            return VG_NOMEM;
        f->x = nx;
        f->cap = f->n + 2;
    }
    if (e != VG_OK)
        return e;
    double ss = 0;
    for (size_t k = 0; k < f->n; k++) {
        f->x[k].value = c->idf[f->x[k].index - 1];
        ss += f->x[k].value * f->x[k].value;
    }
    for (size_t k = 0; k < f->n && ss > 0; k++)
        f->x[k].value /= sqrt(ss);
    qsort(f->x, f->n, sizeof *f->x, cmp_node);
    f->x[f->n] = (struct feature_node){c->m.nr_feature + 1, 1.0};
    f->x[f->n + 1] = (struct feature_node){-1, 0.0};
    return VG_OK;
}

/* ---- training ------------------------------------------------------------ */

/* Distinct terms of one document, then df += 1 for each. */
struct dfcount {
    struct strtab *tab;
    struct vg_buf seen; /* "\n"-separated terms of the current document */
};

static enum vg_err df_add(const char *term, size_t n, void *arg)
{
    struct dfcount *dc = arg;
    for (size_t k = 0; k < dc->seen.len;) {
        const char *nl = memchr(dc->seen.p + k, '\n', dc->seen.len - k);
        size_t l = (size_t)(nl - (dc->seen.p + k));
        if (l == n && memcmp(dc->seen.p + k, term, n) == 0)
            return VG_OK;
        k += l + 1;
    }
    size_t slot;
    enum vg_err e = strtab_put(dc->tab, term, n, 0, &slot);
    if (e == VG_OK)
        dc->tab->vals[slot]++;
    if (e == VG_OK)
        e = vg_buf_add(&dc->seen, term, n);
    if (e == VG_OK)
        e = vg_buf_addc(&dc->seen, '\n');
    return e;
}

static void quiet(const char *s)
{
    (void)s;
}

static int cmp_pstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Count document frequencies, keep terms with df >= min_df, assign sorted
 * feature indices 1..V and IDF = ln((1+N)/(1+df)) + 1. */
static enum vg_err build_vocab(struct vg_classifier *c, size_t n,
                               const struct toks *docs)
{
    struct strtab tab = {0};
    struct dfcount dc = {&tab, {0}};
    vg_buf_init(&dc.seen, 0);
    enum vg_err e = VG_OK;
    for (size_t i = 0; e == VG_OK && i < n; i++) {
        vg_buf_reset(&dc.seen);
        e = for_terms(&docs[i], c->o.bigrams, df_add, &dc);
    }
    size_t V = 0;
    char **terms = NULL;
    if (e == VG_OK && (terms = vg_calloc(tab.n + 1, sizeof *terms)) == NULL)
        e = VG_NOMEM;
    for (size_t s = 0; e == VG_OK && s < tab.cap; s++)
        if (tab.keys[s] && tab.vals[s] >= (size_t)c->o.min_df)
            terms[V++] = tab.keys[s];
    if (e == VG_OK) {
        qsort(terms, V, sizeof *terms, cmp_pstr);
        c->idf = vg_calloc(V + 1, sizeof *c->idf);
        c->terms = vg_calloc(V + 1, sizeof *c->terms);
        if (c->idf == NULL || c->terms == NULL)
            e = VG_NOMEM;
    }
    for (size_t k = 0; e == VG_OK && k < V; k++) {
        size_t slot, len = strlen(terms[k]);
        size_t df = strtab_get(&tab, terms[k], len);
        e = strtab_put(&c->vocab, terms[k], len, k + 1, &slot);
        if (e == VG_OK)
            c->idf[k] = log((1.0 + (double)n) / (1.0 + (double)df)) + 1.0;
    }
    /* the vocabulary may have moved while growing: index terms at the end */
    for (size_t s = 0; e == VG_OK && s < c->vocab.cap; s++)
        if (c->vocab.keys[s])
            c->terms[c->vocab.vals[s] - 1] = c->vocab.keys[s];
    if (e == VG_OK)
        c->m.nr_feature = (int)V;
    vg_free(terms);
    vg_buf_free(&dc.seen);
    strtab_free(&tab);
    return e;
}

static enum vg_err copy_model(struct vg_classifier *c, const struct model *m,
                              const struct parameter *param)
{
    int nr_w = m->nr_class == 2 ? 1 : m->nr_class;
    size_t nw = ((size_t)m->nr_feature + 1) * (size_t)nr_w;
    c->m.param = *param;
    c->m.nr_class = m->nr_class;
    c->m.nr_feature = m->nr_feature;
    c->m.bias = m->bias;
    c->m.label = vg_reallocarray(NULL, (size_t)m->nr_class, sizeof *c->m.label);
    c->m.w = vg_reallocarray(NULL, nw, sizeof *c->m.w);
    if (c->m.label == NULL || c->m.w == NULL)
        return VG_NOMEM;
    memcpy(c->m.label, m->label, (size_t)m->nr_class * sizeof *c->m.label);
    memcpy(c->m.w, m->w, nw * sizeof *c->m.w);
    return VG_OK;
}

enum vg_err vg_classifier_train(struct vg_classifier *c, size_t n,
                                const char *const *texts, const size_t *lens,
                                const char *const *labels, struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    struct toks *docs = NULL;
    struct feature_node **x = NULL;
    double *y = NULL;
    struct model *m = NULL;
    int seen[MAX_CATS] = {0}, distinct = 0;
    model_clear(c);
    docs = vg_calloc(n + 1, sizeof *docs);
    x = vg_calloc(n + 1, sizeof *x);
    y = vg_calloc(n + 1, sizeof *y);
    if (docs == NULL || x == NULL || y == NULL) {
        e = VG_NOMEM;
        goto out;
    }
    for (size_t i = 0; e == VG_OK && i < n; i++) {
        int k = cat_index(c, labels[i], strlen(labels[i]));
        if (k == CAT_NOMEM) {
            e = VG_NOMEM;
            break;
        }
        if (k < 0) {
            e = vg_fail(d, VG_LIMIT, "", i + 1, 0,
                        "category \"%.60s\" too long or too many categories",
                        labels[i]);
            break;
        }
        distinct += !seen[k];
        seen[k] = 1;
        y[i] = k;
        e = tokenize(c->st, texts[i], lens[i], &docs[i]);
    }
    if (e == VG_OK && distinct < 2)
        e = vg_fail(d, VG_MODEL, "", 0, 0,
                    "training needs at least 2 categories, got %d", distinct);
    if (e == VG_OK)
        e = build_vocab(c, n, docs);
    for (size_t i = 0; e == VG_OK && i < n; i++) {
        struct featvec f = {0};
        e = featurize(c, &docs[i], &f);
        x[i] = f.x;
    }
    if (e != VG_OK)
        goto out;
    struct problem prob = {(int)n, c->m.nr_feature + 1, y, x, 1.0};
    struct parameter param = {L2R_LR, 0.01, c->o.C, 0, NULL, NULL, 0.1, NULL};
    const char *bad = check_parameter(&prob, &param);
    if (bad) {
        e = vg_fail(d, VG_MODEL, "", 0, 0, "liblinear: %s", bad);
        goto out;
    }
    set_print_string_function(quiet);
    if ((m = train(&prob, &param)) == NULL) {
        e = vg_fail(d, VG_MODEL, "", 0, 0, "liblinear training failed");
        goto out;
    }
    if ((e = copy_model(c, m, &param)) == VG_OK)
        c->has_model = 1;
out:
    if (m)
        free_and_destroy_model(&m);
    for (size_t i = 0; docs && x && i < n; i++) {
        toks_free(&docs[i]);
        vg_free(x[i]);
    }
    vg_free(docs);
    vg_free(x);
    vg_free(y);
    if (e != VG_OK)
        model_clear(c);
    return e;
}

/* ---- classification ------------------------------------------------------ */

static int negated(const struct vg_classifier *c, const struct toks *t, size_t i)
{
    for (size_t k = 1; k <= NEG_WINDOW && k <= i; k++) {
        size_t j = i - k;
        if (is_clause_mark(t, j))
            return 0;
        for (size_t q = 0; q < c->nneg; q++)
            if (strcmp(tok(t, j), c->neg[q]) == 0)
                return 1;
    }
    return 0;
}

static int rule_fires(const struct vg_classifier *c, const struct rule *r,
                      const struct toks *t)
{
    for (size_t i = 0; i + r->n <= t->n; i++) {
        size_t k = 0;
        while (k < r->n && strcmp(tok(t, i + k), r->words[k]) == 0)
            k++;
        if (k == r->n && !negated(c, t, i))
            return 1;
    }
    return 0;
}

static void append_str(char *dst, size_t cap, const char *sep, const char *s)
{
    size_t l = strlen(dst);
    if (l + 1 < cap)
        snprintf(dst + l, cap - l, "%s%s", l ? sep : "", s);
}

static void explain_terms(const struct vg_classifier *c, const struct featvec *f,
                          int cat, struct vg_class_result *r)
{
    int nr_w = c->m.nr_class == 2 ? 1 : c->m.nr_class, col = -1;
    double sign = 1;
    for (int k = 0; k < c->m.nr_class; k++)
        if (c->m.label[k] == cat)
            col = k;
    if (col < 0)
        return;
    if (nr_w == 1) {
        sign = col == 0 ? 1 : -1;
        col = 0;
    }
    int used[3] = {-1, -1, -1};
    for (int pick = 0; pick < 3; pick++) {
        double best = 0;
        int bi = -1;
        for (size_t k = 0; k < f->n; k++) {
            int idx = f->x[k].index;
            double v = sign * f->x[k].value * c->m.w[(size_t)(idx - 1) * (size_t)nr_w + (size_t)col];
            if (v > best && idx != used[0] && idx != used[1]) {
                best = v;
                bi = idx;
            }
        }
        if (bi < 0)
            break;
        used[pick] = bi;
        append_str(r->terms, sizeof r->terms, " ", c->terms[bi - 1]);
    }
}

static enum vg_err model_probs(const struct vg_classifier *c, const struct toks *t,
                               double *prob, struct featvec *f)
{
    double pe[MAX_CATS];
    enum vg_err e = featurize(c, t, f);
    if (e != VG_OK)
        return e;
    predict_probability(&c->m, f->x, pe);
    for (int k = 0; k < c->m.nr_class; k++)
        prob[c->m.label[k]] = pe[k];
    return VG_OK;
}

enum vg_err vg_classify(const struct vg_classifier *c, const char *text,
                        size_t len, struct vg_class_result *r)
{
    double score[MAX_CATS] = {0}, prob[MAX_CATS] = {0}, pos = 0;
    struct toks t;
    struct featvec f = {0};
    memset(r, 0, sizeof *r);
    enum vg_err e = tokenize(c->st, text, len, &t);
    int use_rules = c->mode != VG_CLASS_MODEL;
    int use_model = c->has_model && c->mode != VG_CLASS_RULES;
    unsigned char fired[MAX_RULES];
    for (size_t i = 0; e == VG_OK && use_rules && i < c->nrules; i++) {
        fired[i] = (unsigned char)rule_fires(c, &c->rules[i], &t);
        if (fired[i])
            score[c->rules[i].cat] += c->rules[i].w;
    }
    for (size_t k = 0; k < c->ncats; k++)
        pos += score[k] > 0 ? score[k] : 0;
    if (e == VG_OK && use_model)
        e = model_probs(c, &t, prob, &f);
    if (e != VG_OK)
        goto out;
    size_t best = 0; /* "autre" */
    double bestv = 0, a = c->o.rule_weight;
    for (size_t k = 0; k < c->ncats; k++) {
        double share = pos > 0 && score[k] > 0 ? score[k] / pos : 0, v;
        if (use_model)
            v = use_rules ? (prob[k] + a * share) / (1 + a) : prob[k];
        else
            v = share * score[k] / (score[k] + 1.0);
        if (v > bestv) {
            bestv = v;
            best = k;
        }
    }
    snprintf(r->category, sizeof r->category, "%s", c->cats[best]);
    r->confidence = bestv;
    r->review = bestv < c->o.review_threshold;
    r->rule_score = score[best];
    r->model_prob = prob[best];
    for (size_t i = 0; use_rules && i < c->nrules; i++)
        if (fired[i] && c->rules[i].cat == (int)best && c->rules[i].w > 0) {
            if (r->rule[0] == '\0')
                append_str(r->rule, sizeof r->rule, "", c->cats[best]);
            append_str(r->rule, sizeof r->rule, strchr(r->rule, '<') ? "+" : "<-",
                       c->rules[i].phrase);
        }
    if (use_model)
        explain_terms(c, &f, (int)best, r);
out:
    vg_free(f.x);
    toks_free(&t);
    return e;
}

/* ---- model file ---------------------------------------------------------- */

enum vg_err vg_classifier_save(const struct vg_classifier *c, const char *path,
                               struct vg_diag *d)
{
    if (!c->has_model)
        return vg_fail(d, VG_STATE, path, 0, 0, "no trained model to save");
    FILE *fp = fopen(path, "w");
    if (fp == NULL)
        return vg_fail(d, VG_IO, path, 0, 0, "cannot create the model file");
    int K = c->m.nr_class, W = K == 2 ? 1 : K, V = c->m.nr_feature;
    fprintf(fp, "vigie-classifier 1\nlang %s\nbigrams %d\nclasses %d\n",
            vg_normalize_lang_name(c->o.lang), c->o.bigrams > 0, K);
    for (int k = 0; k < K; k++)
        fprintf(fp, "%s\n", c->cats[c->m.label[k]]);
    fprintf(fp, "terms %d\n", V);
    for (int j = 0; j <= V; j++) {
        fprintf(fp, "%s\t%.9g", j < V ? c->terms[j] : "<bias>", j < V ? c->idf[j] : 1.0);
        for (int k = 0; k < W; k++)
            fprintf(fp, "\t%.9g", c->m.w[(size_t)j * (size_t)W + (size_t)k]);
        fputc('\n', fp);
    }
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad)
        return vg_fail(d, VG_IO, path, 0, 0, "write failed (disk full?)");
    return VG_OK;
}

struct reader {
    const char *p, *end, *path;
    size_t line;
    struct vg_diag *d;
};

/* Next line as a NUL-free view; 0 at end of file. */
static int next_line(struct reader *rd, struct vg_str *out)
{
    if (rd->p >= rd->end)
        return 0;
    const char *nl = memchr(rd->p, '\n', (size_t)(rd->end - rd->p));
    const char *e = nl ? nl : rd->end;
    *out = (struct vg_str){rd->p, (size_t)(e - rd->p)};
    rd->p = nl ? nl + 1 : rd->end;
    rd->line++;
    return 1;
}

static enum vg_err header_int(struct reader *rd, const char *key, long max,
                              long *v)
{
    struct vg_str l;
    char buf[64];
    size_t kl = strlen(key);
    if (!next_line(rd, &l) || l.len <= kl + 1 || l.len >= sizeof buf ||
        memcmp(l.p, key, kl) != 0 || l.p[kl] != ' ')
        return vg_fail(rd->d, VG_PARSE, rd->path, rd->line + 1, 1,
                       "expected \"%s N\"", key);
    snprintf(buf, sizeof buf, "%.*s", (int)(l.len - kl - 1), l.p + kl + 1);
    char *end;
    *v = strtol(buf, &end, 10);
    if (*end != '\0' || *v < 0 || *v > max)
        return vg_fail(rd->d, VG_PARSE, rd->path, rd->line, (size_t)kl + 2,
                       "\"%s\" is not a count between 0 and %ld", buf, max);
    return VG_OK;
}

/* "term \t idf \t w..." into the classifier, feature j (0-based). */
static enum vg_err parse_term(struct vg_classifier *c, struct reader *rd,
                              struct vg_str l, long j, int W)
{
    const char *tab = memchr(l.p, '\t', l.len);
    if (tab == NULL || tab == l.p)
        return vg_fail(rd->d, VG_PARSE, rd->path, rd->line, 1, "expected term<TAB>idf<TAB>weights");
    size_t tl = (size_t)(tab - l.p), slot;
    if (memchr(l.p, '\0', tl))
        return vg_fail(rd->d, VG_PARSE, rd->path, rd->line, 1, "NUL byte in a term");
    char num[64];
    const char *p = tab + 1, *end = l.p + l.len;
    for (int k = -1; k < W; k++) {
        const char *q = p;
        while (q < end && *q != '\t')
            q++;
        if (q == p || (size_t)(q - p) >= sizeof num)
            return vg_fail(rd->d, VG_PARSE, rd->path, rd->line, (size_t)(k + 3),
                           "missing number (need idf and %d weights)", W);
        snprintf(num, sizeof num, "%.*s", (int)(q - p), p);
        char *ep;
        double v = strtod(num, &ep);
        if (*ep != '\0' || !isfinite(v))
            return vg_fail(rd->d, VG_PARSE, rd->path, rd->line, (size_t)(k + 3),
                           "\"%s\" is not a finite number", num);
        if (k < 0 && j < c->m.nr_feature)
            c->idf[j] = v;
        else if (k >= 0)
            c->m.w[(size_t)j * (size_t)W + (size_t)k] = v;
        p = q + (q < end);
    }
    if (j == c->m.nr_feature)
        return VG_OK;
    if (strtab_get(&c->vocab, l.p, tl) != (size_t)-1)
        return vg_fail(rd->d, VG_PARSE, rd->path, rd->line, 1, "duplicate term \"%.*s\"",
                       (int)tl, l.p);
    return strtab_put(&c->vocab, l.p, tl, (size_t)j + 1, &slot);
}

static enum vg_err parse_model(struct vg_classifier *c, struct reader *rd)
{
    struct vg_str l;
    long K, V, big;
    enum vg_err e;
    if (!next_line(rd, &l) || !vg_str_eq(l, "vigie-classifier 1"))
        return vg_fail(rd->d, VG_PARSE, rd->path, 1, 1,
                       "not a vigie classifier model (first line must be \"vigie-classifier 1\")");
    if (!next_line(rd, &l) || l.len < 6 || memcmp(l.p, "lang ", 5) != 0)
        return vg_fail(rd->d, VG_PARSE, rd->path, rd->line, 1, "expected \"lang fr|en\"");
    if ((e = header_int(rd, "bigrams", 1, &big)) != VG_OK ||
        (e = header_int(rd, "classes", MAX_CATS - 1, &K)) != VG_OK)
        return e;
    if (K < 2)
        return vg_fail(rd->d, VG_PARSE, rd->path, rd->line, 9, "need at least 2 classes");
    c->o.bigrams = big ? 1 : -1;
    int W = K == 2 ? 1 : (int)K;
    c->m.nr_class = (int)K;
    if ((c->m.label = vg_calloc((size_t)K, sizeof *c->m.label)) == NULL)
        return VG_NOMEM;
    for (long k = 0; k < K; k++) {
        int ci = next_line(rd, &l) ? cat_index(c, l.p, l.len) : -1;
        if (ci == CAT_NOMEM)
            return VG_NOMEM;
        if (ci < 0)
            return vg_fail(rd->d, VG_PARSE, rd->path, rd->line, 1, "bad category name");
        c->m.label[k] = ci;
    }
    if ((e = header_int(rd, "terms", MAX_TERMS, &V)) != VG_OK)
        return e;
    c->m.nr_feature = (int)V;
    c->idf = vg_calloc((size_t)V + 1, sizeof *c->idf);
    c->terms = vg_calloc((size_t)V + 1, sizeof *c->terms);
    c->m.w = vg_calloc(((size_t)V + 1) * (size_t)W, sizeof *c->m.w);
    if (c->idf == NULL || c->terms == NULL || c->m.w == NULL)
        return VG_NOMEM;
    for (long j = 0; j <= V; j++) {
        if (!next_line(rd, &l))
            return vg_fail(rd->d, VG_PARSE, rd->path, rd->line + 1, 1,
                           "file ends after %ld of %ld terms", j, V);
        if ((e = parse_term(c, rd, l, j, W)) != VG_OK)
            return e;
    }
    for (size_t s = 0; s < c->vocab.cap; s++)
        if (c->vocab.keys[s])
            c->terms[c->vocab.vals[s] - 1] = c->vocab.keys[s];
    c->m.bias = 1.0;
    c->m.param = (struct parameter){L2R_LR, 0.01, c->o.C, 0, NULL, NULL, 0.1, NULL};
    c->has_model = 1;
    return VG_OK;
}

enum vg_err vg_classifier_load(const char *path,
                               const struct vg_classifier_opts *opts,
                               struct vg_classifier **out, struct vg_diag *d)
{
    struct vg_buf b;
    struct vg_classifier *c = NULL;
    vg_buf_init(&b, (size_t)512 << 20);
    *out = NULL;
    enum vg_err e = vg_buf_read_file(&b, path, d);
    struct vg_classifier_opts o = {0};
    if (opts)
        o = *opts;
    /* the stemmer language comes from the file; opts may only agree */
    const char *lp = b.p ? strstr(b.p, "\nlang ") : NULL;
    enum vg_lang fl = VG_LANG_FR;
    char lname[8] = "";
    if (e == VG_OK && lp) {
        snprintf(lname, sizeof lname, "%.2s", lp + 6);
        if (vg_normalize_lang_parse(lname, &fl) != VG_OK)
            e = vg_fail(d, VG_PARSE, path, 2, 6, "language \"%s\" is not fr or en", lname);
        else if (opts && opts->lang != fl)
            e = vg_fail(d, VG_PARSE, path, 2, 6,
                        "model is for language \"%s\", caller asked for \"%s\"", lname,
                        vg_normalize_lang_name(opts->lang));
        o.lang = fl;
    }
    if (e == VG_OK)
        e = vg_classifier_new(&o, &c);
    if (e == VG_OK) {
        struct reader rd = {b.p ? b.p : "", (b.p ? b.p : "") + b.len, path, 0, d};
        e = parse_model(c, &rd);
    }
    if (e != VG_OK)
        vg_classifier_free(c);
    else
        *out = c;
    vg_buf_free(&b);
    return e;
}

/*
 * text_eval.c — measures the logbook text pipeline; docs/logbook.md records
 * the commands and the figures.
 *
 *   text_eval scrub    ENTRIES.tsv FIRSTNAMES.txt     recall/precision per kind
 *   text_eval fr       ENTRIES.tsv RULES.txt          French categories
 *   text_eval fr-heldout ENTRIES.tsv HELDOUT.tsv RULES.txt
 *   text_eval sf       sf_crime_2012_jul_dec.csv      Descript → Category
 *   text_eval portland AUG.csv SEP.csv                CASE_DESC → CATEGORY
 *   text_eval scrub-clean CSV COLUMN FIRSTNAMES.txt   false positives on a
 *                                                     column without personal data
 *
 * ENTRIES.tsv lines are "date<TAB>category<TAB>text" where {{KIND:text}}
 * marks a planted identifier.  Splits are by date: train on the earlier
 * part, test on the later part.  The CSV reader here is a minimal RFC 4180
 * one for measurement only (the import pipeline has its own).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "ingest/classify.h"
#include "ingest/scrub.h"

#define MAXC 64

struct ds {
    char **text, **label, **date;
    size_t n, cap;
};

static void ds_add(struct ds *d, const char *date, size_t dl, const char *lab,
                   size_t ll, const char *text, size_t tl)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 1024;
        d->text = vg_reallocarray(d->text, d->cap, sizeof *d->text);
        d->label = vg_reallocarray(d->label, d->cap, sizeof *d->label);
        d->date = vg_reallocarray(d->date, d->cap, sizeof *d->date);
        if (!d->text || !d->label || !d->date)
            exit(70);
    }
    d->date[d->n] = vg_strndup(date, dl);
    d->label[d->n] = vg_strndup(lab, ll);
    d->text[d->n] = vg_strndup(text, tl);
    d->n++;
}

static void ds_free(struct ds *d)
{
    for (size_t i = 0; i < d->n; i++) {
        vg_free(d->text[i]);
        vg_free(d->label[i]);
        vg_free(d->date[i]);
    }
    vg_free(d->text);
    vg_free(d->label);
    vg_free(d->date);
}

static void read_file(const char *path, struct vg_buf *b)
{
    struct vg_diag dg;
    vg_buf_init(b, 0);
    if (vg_buf_read_file(b, path, &dg) != VG_OK) {
        fprintf(stderr, "text_eval: %s: %s\n", path, dg.msg);
        exit(66);
    }
}

/* ---- minimal RFC 4180 reader --------------------------------------------- */

/* Parse one record at *p; fields (unescaped) appended to f as NUL-separated
 * strings, offsets in off[].  Returns the field count. */
static size_t csv_record(const char **p, const char *end, struct vg_buf *f,
                         size_t *off, size_t maxf)
{
    size_t nf = 0;
    vg_buf_reset(f);
    for (;;) {
        if (nf < maxf)
            off[nf] = f->len;
        nf++;
        if (*p < end && **p == '"') {
            (*p)++;
            while (*p < end) {
                if (**p == '"' && *p + 1 < end && (*p)[1] == '"') {
                    vg_buf_addc(f, '"');
                    *p += 2;
                } else if (**p == '"') {
                    (*p)++;
                    break;
                } else {
                    vg_buf_addc(f, *(*p)++);
                }
            }
        }
        while (*p < end && **p != ',' && **p != '\n' && **p != '\r')
            vg_buf_addc(f, *(*p)++);
        vg_buf_addc(f, '\0');
        if (*p < end && **p == ',') {
            (*p)++;
            continue;
        }
        while (*p < end && (**p == '\r' || **p == '\n'))
            (*p)++;
        return nf;
    }
}

static void load_csv(const char *path, const char *tcol, const char *lcol,
                     const char *dcol, struct ds *d)
{
    struct vg_buf b, f;
    size_t off[64], ti = 99, li = 99, di = 99;
    read_file(path, &b);
    vg_buf_init(&f, 0);
    const char *p = b.p, *end = b.p + b.len;
    size_t nf = csv_record(&p, end, &f, off, 64);
    for (size_t k = 0; k < nf && k < 64; k++) {
        const char *name = f.p + off[k];
        if (strcmp(name, tcol) == 0) ti = k;
        if (strcmp(name, lcol) == 0) li = k;
        if (strcmp(name, dcol) == 0) di = k;
    }
    if (ti == 99 || li == 99 || di == 99) {
        fprintf(stderr, "text_eval: %s lacks %s/%s/%s\n", path, tcol, lcol, dcol);
        exit(65);
    }
    while (p < end) {
        nf = csv_record(&p, end, &f, off, 64);
        if (nf <= ti || nf <= li || nf <= di)
            continue;
        const char *t = f.p + off[ti], *l = f.p + off[li], *dt = f.p + off[di];
        if (*l == '\0' || *dt == '\0')
            continue;
        ds_add(d, dt, strlen(dt), l, strlen(l), t, strlen(t));
    }
    vg_buf_free(&f);
    vg_buf_free(&b);
}

/* ---- entries.tsv with {{KIND:text}} markup -------------------------------- */

struct span {
    size_t entry, off, len;
    int kind;
};

static int kind_of(const char *s, size_t n)
{
    for (int k = 0; k < VG_SCRUB_NKINDS; k++)
        if (strlen(vg_scrub_kind_name(k)) == n && memcmp(vg_scrub_kind_name(k), s, n) == 0)
            return k;
    return -1;
}

static void load_entries(const char *path, struct ds *d, struct span **spans,
                         size_t *nspans)
{
    struct vg_buf b, raw;
    size_t scap = 0;
    read_file(path, &b);
    vg_buf_init(&raw, 0);
    *spans = NULL;
    *nspans = 0;
    for (char *line = b.p; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (line[0] != '#' && t2) {
            vg_buf_reset(&raw);
            for (char *q = t2 + 1; *q;) {
                char *c = strchr(q, ':');
                if (q[0] == '{' && q[1] == '{' && c && strstr(q, "}}")) {
                    char *e = strstr(c, "}}");
                    int k = kind_of(q + 2, (size_t)(c - q - 2));
                    if (k < 0) {
                        fprintf(stderr, "text_eval: bad kind in %.40s\n", q);
                        exit(65);
                    }
                    if (*nspans == scap) {
                        scap = scap ? scap * 2 : 256;
                        *spans = vg_reallocarray(*spans, scap, sizeof **spans);
                    }
                    (*spans)[(*nspans)++] = (struct span){d->n, raw.len, (size_t)(e - c - 1), k};
                    vg_buf_add(&raw, c + 1, (size_t)(e - c - 1));
                    q = e + 2;
                } else {
                    vg_buf_addc(&raw, *q++);
                }
            }
            ds_add(d, line, (size_t)(t1 - line), t1 + 1, (size_t)(t2 - t1 - 1),
                   raw.p ? raw.p : "", raw.len);
        }
        line = nl ? nl + 1 : NULL;
    }
    vg_buf_free(&raw);
    vg_buf_free(&b);
}

static int overlap(size_t a, size_t al, size_t b, size_t bl)
{
    return a < b + bl && b < a + al;
}

static int cmd_scrub(const char *entries, const char *names)
{
    struct ds d = {0};
    struct span *sp;
    size_t nsp;
    struct vg_scrub_names *nm;
    struct vg_diag dg;
    load_entries(entries, &d, &sp, &nsp);
    if (vg_scrub_names_load(names, &nm, &dg) != VG_OK) {
        fprintf(stderr, "text_eval: %s\n", dg.msg);
        return 1;
    }
    size_t planted[VG_SCRUB_NKINDS] = {0}, found[VG_SCRUB_NKINDS] = {0},
           removed[VG_SCRUB_NKINDS] = {0}, hits[VG_SCRUB_NKINDS] = {0},
           good[VG_SCRUB_NKINDS] = {0}, leaked[VG_SCRUB_NKINDS] = {0};
    struct vg_scrub_policy pol = {VG_SCRUB_SRC_POLICE, VG_SCRUB_HOUSE_NUMBERS, nm, 0};
    struct vg_buf out;
    vg_buf_init(&out, 0);
    for (size_t i = 0; i < d.n; i++) {
        struct vg_scrub_hit h[128];
        struct vg_scrub_stats st = {.hits = h, .hits_cap = 128};
        vg_buf_reset(&out);
        vg_scrub(&pol, d.text[i], strlen(d.text[i]), &out, &st);
        for (size_t s = 0; s < nsp; s++) {
            if (sp[s].entry != i)
                continue;
            int typed = 0, any = 0;
            for (size_t k = 0; k < st.nhits; k++)
                if (overlap(h[k].off, h[k].len, sp[s].off, sp[s].len)) {
                    any = 1;
                    typed |= (int)h[k].kind == sp[s].kind;
                }
            char *pt = vg_strndup(d.text[i] + sp[s].off, sp[s].len);
            int leak = strstr(out.p ? out.p : "", pt) != NULL;
            planted[sp[s].kind]++;
            found[sp[s].kind] += typed;
            removed[sp[s].kind] += any;
            leaked[sp[s].kind] += leak;
            if (!typed)
                fprintf(stderr, "miss %-14s entry %zu: \"%s\"%s\n",
                        vg_scrub_kind_name(sp[s].kind), i + 1, pt, leak ? " (leaked)" : "");
            vg_free(pt);
        }
        for (size_t k = 0; k < st.nhits; k++) {
            int ok = 0;
            for (size_t s = 0; s < nsp; s++)
                if (sp[s].entry == i && sp[s].kind == (int)h[k].kind &&
                    overlap(h[k].off, h[k].len, sp[s].off, sp[s].len))
                    ok = 1;
            hits[h[k].kind]++;
            good[h[k].kind] += ok;
            if (!ok)
                fprintf(stderr, "false %-13s entry %zu: \"%.*s\"\n",
                        vg_scrub_kind_name(h[k].kind), i + 1, (int)h[k].len,
                        d.text[i] + h[k].off);
        }
    }
    printf("| kind | planted | found (right type) | recall | removed (any type) | "
           "left verbatim | replacements | correct | precision |\n"
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    size_t tp = 0, tf = 0, th = 0, tg = 0, tl = 0, tr = 0;
    for (int k = 0; k < VG_SCRUB_NKINDS; k++) {
        printf("| %s | %zu | %zu | %.3f | %zu | %zu | %zu | %zu | %.3f |\n",
               vg_scrub_kind_name(k), planted[k], found[k],
               planted[k] ? (double)found[k] / (double)planted[k] : 0.0, removed[k],
               leaked[k], hits[k], good[k], hits[k] ? (double)good[k] / (double)hits[k] : 0.0);
        tp += planted[k], tf += found[k], th += hits[k], tg += good[k];
        tl += leaked[k], tr += removed[k];
    }
    printf("| all | %zu | %zu | %.3f | %zu | %zu | %zu | %zu | %.3f |\n", tp, tf,
           (double)tf / (double)tp, tr, tl, th, tg, th ? (double)tg / (double)th : 0.0);
    printf("\n%zu entries, %zu planted identifiers\n", d.n, nsp);
    vg_buf_free(&out);
    vg_scrub_names_free(nm);
    vg_free(sp);
    ds_free(&d);
    return 0;
}

/* ---- classification ------------------------------------------------------- */

struct classes {
    char *name[MAXC];
    size_t n;
};

static int class_id(struct classes *c, const char *s)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->name[i], s) == 0)
            return (int)i;
    if (c->n == MAXC)
        return MAXC - 1;
    c->name[c->n] = vg_strdup(s);
    return (int)c->n++;
}

/* Classify test items [from, to) and print accuracy, macro-F1, review
 * figures and (if `matrix`) the confusion matrix. */
static void evaluate(const char *title, const struct vg_classifier *cl,
                     const struct ds *d, const size_t *idx, size_t nidx, int matrix)
{
    static size_t cm[MAXC][MAXC];
    struct classes cs = {{0}, 0};
    size_t ok = 0, rev = 0, ok_nonrev = 0;
    memset(cm, 0, sizeof cm);
    for (size_t j = 0; j < nidx; j++) {
        size_t i = idx[j];
        struct vg_class_result r;
        vg_classify(cl, d->text[i], strlen(d->text[i]), &r);
        int t = class_id(&cs, d->label[i]), p = class_id(&cs, r.category);
        cm[t][p]++;
        ok += t == p;
        rev += r.review != 0;
        ok_nonrev += !r.review && t == p;
    }
    double f1 = 0;
    size_t nf1 = 0;
    for (size_t k = 0; k < cs.n; k++) {
        size_t tp = cm[k][k], row = 0, col = 0;
        for (size_t q = 0; q < cs.n; q++)
            row += cm[k][q], col += cm[q][k];
        if (row == 0)
            continue;
        double pr = col ? (double)tp / (double)col : 0, rc = (double)tp / (double)row;
        f1 += pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0;
        nf1++;
    }
    printf("### %s\n\n%zu test entries: accuracy %.3f, macro-F1 %.3f; flagged for "
           "review %zu (%.1f%%); accuracy of the unflagged %.3f\n\n",
           title, nidx, (double)ok / (double)nidx, nf1 ? f1 / (double)nf1 : 0, rev,
           100.0 * (double)rev / (double)nidx,
           nidx > rev ? (double)ok_nonrev / (double)(nidx - rev) : 0);
    if (matrix) {
        printf("| true \\ predicted |");
        for (size_t k = 0; k < cs.n; k++)
            printf(" %zu |", k + 1);
        printf("\n|---|");
        for (size_t k = 0; k < cs.n; k++)
            printf("---:|");
        printf("\n");
        for (size_t k = 0; k < cs.n; k++) {
            printf("| %zu %s |", k + 1, cs.name[k]);
            for (size_t q = 0; q < cs.n; q++)
                printf(cm[k][q] ? " %zu |" : " . |", cm[k][q]);
            printf("\n");
        }
        printf("\n");
    }
    for (size_t k = 0; k < cs.n; k++)
        vg_free(cs.name[k]);
}

static int cmp_date_idx_ds_ctx;
static const struct ds *sort_ds;
static int cmp_date_idx(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(sort_ds->date[x], sort_ds->date[y]);
    return c ? c : (x > y) - (x < y);
}

/* Split by date: items with date < cut train, others test. */
static void split(const struct ds *d, const char *cut, size_t **tr, size_t *ntr,
                  size_t **te, size_t *nte)
{
    *tr = vg_calloc(d->n + 1, sizeof **tr);
    *te = vg_calloc(d->n + 1, sizeof **te);
    *ntr = *nte = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (strcmp(d->date[i], cut) < 0)
            (*tr)[(*ntr)++] = i;
        else
            (*te)[(*nte)++] = i;
    }
    (void)cmp_date_idx_ds_ctx;
    sort_ds = d;
    qsort(*te, *nte, sizeof **te, cmp_date_idx);
}

static struct vg_classifier *train_on(const struct ds *d, const size_t *tr,
                                      size_t ntr, enum vg_lang lang,
                                      const char *rules)
{
    struct vg_classifier_opts o = {.lang = lang};
    const char *rw = getenv("TEXT_EVAL_RULE_WEIGHT"), *th = getenv("TEXT_EVAL_THRESHOLD");
    if (rw)
        o.rule_weight = strtod(rw, NULL);
    if (th)
        o.review_threshold = strtod(th, NULL);
    struct vg_classifier *cl;
    struct vg_diag dg;
    const char **tx = vg_calloc(ntr + 1, sizeof *tx), **lb = vg_calloc(ntr + 1, sizeof *lb);
    size_t *ln = vg_calloc(ntr + 1, sizeof *ln);
    for (size_t j = 0; j < ntr; j++) {
        tx[j] = d->text[tr[j]];
        lb[j] = d->label[tr[j]];
        ln[j] = strlen(tx[j]);
    }
    if (vg_classifier_new(&o, &cl) != VG_OK ||
        (rules && vg_classifier_load_rules(cl, rules, &dg) != VG_OK) ||
        vg_classifier_train(cl, ntr, tx, ln, lb, &dg) != VG_OK) {
        fprintf(stderr, "text_eval: training failed: %s\n", dg.msg);
        exit(70);
    }
    vg_free(tx);
    vg_free(lb);
    vg_free(ln);
    return cl;
}

static int cmd_fr(const char *entries, const char *rules)
{
    struct ds d = {0};
    struct span *sp;
    size_t nsp, *tr, *te, ntr, nte, *all;
    load_entries(entries, &d, &sp, &nsp);
    split(&d, "2024-07-01", &tr, &ntr, &te, &nte);
    all = vg_calloc(d.n + 1, sizeof *all);
    for (size_t i = 0; i < d.n; i++)
        all[i] = i;
    printf("French test set: %zu entries, train %zu (before 2024-07-01), test %zu\n\n",
           d.n, ntr, nte);
    struct vg_classifier *cl = train_on(&d, tr, ntr, VG_LANG_FR, rules);
    vg_classifier_set_mode(cl, VG_CLASS_RULES);
    evaluate("rules only, all entries (rules were not fitted on a split)", cl, &d, all, d.n, 1);
    evaluate("rules only, test part", cl, &d, te, nte, 0);
    vg_classifier_set_mode(cl, VG_CLASS_MODEL);
    evaluate("model only (trained on the first half), test part", cl, &d, te, nte, 0);
    vg_classifier_set_mode(cl, VG_CLASS_BOTH);
    evaluate("rules + model, test part", cl, &d, te, nte, 1);
    vg_classifier_free(cl);
    vg_free(tr);
    vg_free(te);
    vg_free(all);
    vg_free(sp);
    ds_free(&d);
    return 0;
}

static int desc_half(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (int)((h >> 17) & 1);
}

/* Train on every entry of ENTRIES, test on HELDOUT (written later). */
static int cmd_fr_heldout(const char *entries, const char *heldout, const char *rules)
{
    struct ds tr = {0}, te = {0};
    struct span *sp1, *sp2;
    size_t n1, n2;
    load_entries(entries, &tr, &sp1, &n1);
    load_entries(heldout, &te, &sp2, &n2);
    size_t *itr = vg_calloc(tr.n + 1, sizeof *itr), *ite = vg_calloc(te.n + 1, sizeof *ite);
    for (size_t i = 0; i < tr.n; i++)
        itr[i] = i;
    for (size_t i = 0; i < te.n; i++)
        ite[i] = i;
    printf("Held-out French entries: train on %zu, test on %zu\n\n", tr.n, te.n);
    struct vg_classifier *cl = train_on(&tr, itr, tr.n, VG_LANG_FR, rules);
    vg_classifier_set_mode(cl, VG_CLASS_RULES);
    evaluate("held-out, rules only", cl, &te, ite, te.n, 1);
    vg_classifier_set_mode(cl, VG_CLASS_MODEL);
    evaluate("held-out, model only (trained on the 155 entries)", cl, &te, ite, te.n, 0);
    vg_classifier_set_mode(cl, VG_CLASS_BOTH);
    evaluate("held-out, rules + model", cl, &te, ite, te.n, 1);
    vg_classifier_free(cl);
    vg_free(itr);
    vg_free(ite);
    vg_free(sp1);
    vg_free(sp2);
    ds_free(&tr);
    ds_free(&te);
    return 0;
}

static int cmd_us(const char *title, struct ds *d, const char *cut)
{
    size_t *tr, *te, ntr, nte;
    split(d, cut, &tr, &ntr, &te, &nte);
    printf("%s: %zu rows, train %zu (date < %s), test %zu\n\n", title, d->n, ntr, cut, nte);
    struct vg_classifier *cl = train_on(d, tr, ntr, VG_LANG_EN, NULL);
    vg_classifier_set_mode(cl, VG_CLASS_MODEL);
    evaluate("model (English stems, unigrams+bigrams, TF-IDF, L2 logistic regression)",
             cl, d, te, nte, 1);
    vg_classifier_free(cl);
    /* Harder: descriptions never seen in training.  Distinct description
     * strings are split in two by a hash; train on the earlier rows of one
     * half, test on the later rows of the other half. */
    size_t ntr2 = 0, nte2 = 0, ndesc[2] = {0, 0};
    for (size_t j = 0; j < ntr; j++)
        if (desc_half(d->text[tr[j]]) == 0)
            tr[ntr2++] = tr[j];
    for (size_t j = 0; j < nte; j++)
        if (desc_half(d->text[te[j]]) == 1)
            te[nte2++] = te[j];
    for (size_t i = 0; i < d->n; i++)
        ndesc[desc_half(d->text[i])]++;
    printf("Unseen descriptions: train %zu rows of description half A, test %zu rows "
           "of half B (rows per half: %zu / %zu)\n\n", ntr2, nte2, ndesc[0], ndesc[1]);
    cl = train_on(d, tr, ntr2, VG_LANG_EN, NULL);
    vg_classifier_set_mode(cl, VG_CLASS_MODEL);
    evaluate("model on descriptions it has never seen", cl, d, te, nte2, 1);
    vg_classifier_free(cl);
    vg_free(tr);
    vg_free(te);
    return 0;
}

/* Replacements made in a column that holds no personal data: every one is
 * a false positive. */
static int cmd_scrub_clean(const char *csv, const char *col, const char *names)
{
    struct ds d = {0};
    struct vg_scrub_names *nm;
    struct vg_diag dg;
    size_t reps = 0, rows_hit = 0, shown = 0;
    load_csv(csv, col, col, col, &d);
    if (vg_scrub_names_load(names, &nm, &dg) != VG_OK)
        return 1;
    struct vg_scrub_policy pol = {VG_SCRUB_SRC_POLICE, 0, nm, 0};
    struct vg_buf out;
    vg_buf_init(&out, 0);
    for (size_t i = 0; i < d.n; i++) {
        struct vg_scrub_stats st = {0};
        vg_buf_reset(&out);
        vg_scrub(&pol, d.text[i], strlen(d.text[i]), &out, &st);
        reps += st.nhits;
        rows_hit += st.nhits > 0;
        if (st.nhits && shown++ < 5)
            fprintf(stderr, "false positive: %s -> %s\n", d.text[i], out.p);
    }
    printf("%s column %s: %zu rows, %zu replacements in %zu rows (all false positives)\n",
           csv, col, d.n, reps, rows_hit);
    vg_buf_free(&out);
    vg_scrub_names_free(nm);
    ds_free(&d);
    return 0;
}

int main(int argc, char **argv)
{
    struct ds d = {0};
    int rc = 2;
    if (argc == 4 && strcmp(argv[1], "scrub") == 0)
        rc = cmd_scrub(argv[2], argv[3]);
    else if (argc == 5 && strcmp(argv[1], "scrub-clean") == 0)
        rc = cmd_scrub_clean(argv[2], argv[3], argv[4]);
    else if (argc == 5 && strcmp(argv[1], "fr-heldout") == 0)
        rc = cmd_fr_heldout(argv[2], argv[3], argv[4]);
    else if (argc == 4 && strcmp(argv[1], "fr") == 0)
        rc = cmd_fr(argv[2], argv[3]);
    else if (argc == 3 && strcmp(argv[1], "sf") == 0) {
        load_csv(argv[2], "Descript", "Category", "Date", &d);
        rc = cmd_us("San Francisco 2012 H2", &d, "20121101");
    } else if (argc == 4 && strcmp(argv[1], "portland") == 0) {
        load_csv(argv[2], "CASE_DESC", "CATEGORY", "occ_date", &d);
        load_csv(argv[3], "CASE_DESC", "CATEGORY", "occ_date", &d);
        rc = cmd_us("Portland calls for service Aug-Sep 2016", &d, "20160901");
    } else {
        fprintf(stderr, "usage: text_eval scrub ENTRIES NAMES | fr ENTRIES RULES | "
                        "sf CSV | portland AUG SEP\n");
    }
    ds_free(&d);
    return rc;
}

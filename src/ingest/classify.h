/*
 * classify.h — category of a free-text entry (logbook, call description):
 * editable keyword rules with negation handling, plus a linear model
 * (liblinear, L2-regularised logistic regression on TF-IDF weighted stemmed
 * unigrams and bigrams) trained on already-categorised entries.  The two
 * are combined into one category code and a confidence; entries whose
 * confidence is under the review threshold are flagged for a person.
 *
 * Category codes are plain strings (the taxonomy belongs to the import
 * profiles: "cambriolage_logement", "vol_sans_violence", ...).
 *
 * Ownership: a classifier is owned by its creator (vg_classifier_free);
 * results are caller-owned value structs.  A classifier holds a stemmer, so
 * one classifier must not be used by two threads at once.
 *
 * Rules file (UTF-8, one rule per line, '#' comments):
 *     category_code  weight  phrase words ...
 * The phrase is normalised and stemmed like the text; it matches a run of
 * consecutive text stems.  A match is negated (ignored) when one of the
 * three words before it in the same clause is a negation ("pas", "aucun",
 * "aucune", "sans", "ni", "jamais", "rien", "non", "absence").  A line
 *     !negation  word
 * adds a negation word.  Limits: 4096 rules, 8 words per phrase.
 */
#ifndef VG_CLASSIFY_H
#define VG_CLASSIFY_H

#include <stddef.h>

#include "base/err.h"
#include "ingest/normalize.h"

#define VG_CLASS_CODE_MAX 48

struct vg_classifier;

struct vg_classifier_opts {
    enum vg_lang lang;       /* stemmer language */
    double C;                /* liblinear cost; 0 = 4.0 */
    int min_df;              /* drop terms seen in fewer entries; 0 = 1 */
    double rule_weight;      /* weight of rules vs model; 0 = 2 */
    double review_threshold; /* confidence under this → review; 0 = 0.5 */
    int bigrams;             /* 1 = unigrams + bigrams (default), -1 = unigrams */
};

struct vg_class_result {
    char category[VG_CLASS_CODE_MAX];
    double confidence;    /* 0..1 */
    int review;           /* 1 if confidence < threshold */
    double rule_score;    /* summed weight of non-negated rules for category */
    double model_prob;    /* model probability for category (0 if no model) */
    char rule[160];       /* "code<-phrase+phrase" of the rules that fired */
    char terms[160];      /* model terms that pushed most towards category */
};

/* New empty classifier (no rules, no model: everything is "autre" with
 * confidence 0).  `opts` may be NULL for defaults (French). */
enum vg_err vg_classifier_new(const struct vg_classifier_opts *opts,
                              struct vg_classifier **out);
void vg_classifier_free(struct vg_classifier *c);

/* Add the rules of file `path` / of a memory text (`name` for messages).
 * VG_PARSE names the line and the bad field; VG_LIMIT past the limits. */
enum vg_err vg_classifier_load_rules(struct vg_classifier *c, const char *path,
                                     struct vg_diag *d);
enum vg_err vg_classifier_parse_rules(struct vg_classifier *c, const char *text,
                                      size_t len, const char *name,
                                      struct vg_diag *d);
size_t vg_classifier_rule_count(const struct vg_classifier *c);

/* Train the model on `n` entries (texts[i] of lens[i] bytes, category
 * codes labels[i]); replaces any previous model, keeps the rules.  Needs at
 * least 2 distinct categories (VG_MODEL otherwise). */
enum vg_err vg_classifier_train(struct vg_classifier *c, size_t n,
                                const char *const *texts, const size_t *lens,
                                const char *const *labels, struct vg_diag *d);

/* Save the model (vocabulary, IDF, weights, categories; not the rules) to a
 * text file; load one into a new classifier (then add rules if wanted).
 * The stemmer language is the file's; `opts` (may be NULL) must agree with
 * it (VG_PARSE otherwise). */
enum vg_err vg_classifier_save(const struct vg_classifier *c, const char *path,
                               struct vg_diag *d);
enum vg_err vg_classifier_load(const char *path,
                               const struct vg_classifier_opts *opts,
                               struct vg_classifier **out, struct vg_diag *d);

/* What to use when classifying. */
enum vg_class_mode { VG_CLASS_BOTH = 0, VG_CLASS_RULES, VG_CLASS_MODEL };
void vg_classifier_set_mode(struct vg_classifier *c, enum vg_class_mode m);

/* Classify `len` bytes of `text`.  Fills *r; VG_NOMEM/VG_LIMIT on failure. */
enum vg_err vg_classify(const struct vg_classifier *c, const char *text,
                        size_t len, struct vg_class_result *r);

#endif

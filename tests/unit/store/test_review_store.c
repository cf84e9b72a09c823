/*
 * test_review_store.c — the review-queue store ops (store.h contract) on
 * the SQLite back end; a PostgreSQL back end must pass the same checks.
 */
#include "../../test.h"

#include <stdio.h>
#include <string.h>

#include "store/store.h"

struct seen {
    size_t n;
    char status[4][16], cat[4][48], text[4][64];
    int64_t id[4];
};

static enum vg_err see(void *arg, const struct vg_review_row *r)
{
    struct seen *s = arg;
    if (s->n < 4) {
        snprintf(s->status[s->n], 16, "%s", r->status);
        snprintf(s->cat[s->n], 48, "%s", r->category);
        snprintf(s->text[s->n], 64, "%s", r->text ? r->text : "");
        s->id[s->n] = r->incident_id;
    }
    s->n++;
    return VG_OK;
}

static enum vg_err see_train(void *arg, const char *text, const char *code)
{
    struct seen *s = arg;
    if (s->n < 4) {
        snprintf(s->text[s->n], 64, "%s", text);
        snprintf(s->cat[s->n], 48, "%s", code);
    }
    s->n++;
    return VG_OK;
}

TEST(review_store_round_trip)
{
    char path[600];
    snprintf(path, sizeof path, "%s/review.db", vg_test_tmpdir());
    remove(path);
    struct vg_store *s = NULL;
    struct vg_diag d;
    struct vg_taxonomy tax;
    REQUIRE(vg_store_open(path, 1, &s, &d) == VG_OK);
    REQUIRE(vg_store_taxonomy(s, "config/taxonomy.tsv", &tax, &d) == VG_OK);
    int64_t ds, imp;
    REQUIRE(s->ops->dataset(s, "lb", "p", &ds, &d) == VG_OK);
    REQUIRE(s->ops->import_begin(s, ds, "f", &imp, &d) == VG_OK);
    const char *texts[3] = {"portières essayées", "vol de vélo", NULL};
    for (int i = 0; i < 3; i++) {
        struct vg_incident inc;
        memset(&inc, 0, sizeof inc);
        inc.dataset_id = ds;
        inc.dkey = 100 + i;
        inc.t_start = inc.t_end = 1700000000 + i;
        inc.tz = "Europe/Paris";
        inc.cat = vg_taxonomy_find(&tax, "autre", 5);
        inc.text = texts[i];
        inc.source = VG_SRC_LOGBOOK;
        inc.import_id = imp;
        int ins = 0;
        REQUIRE(s->ops->incident_put(s, &inc, &ins, &d) == VG_OK && ins == 1);
    }
    struct vg_review_row r = {0, "autre", 0.1, "pending", NULL, NULL, 0, NULL, NULL, NULL, 0};
    CHECK(s->ops->review_add(s, ds, 100, &r, &d) == VG_OK);
    CHECK(s->ops->review_add(s, ds, 100, &r, &d) == VG_EXISTS);
    CHECK(s->ops->review_add(s, ds, 999, &r, &d) == VG_NOTFOUND);
    r.status = "author";
    r.confidence = 0.9;
    CHECK(s->ops->review_add(s, ds, 101, &r, &d) == VG_OK);
    r.status = "pending";
    CHECK(s->ops->review_add(s, ds, 102, &r, &d) == VG_OK); /* no text */

    struct seen q = {0};
    CHECK(s->ops->reviews_get(s, 0, "pending", see, &q, &d) == VG_OK);
    CHECK_EQ_INT(q.n, 2);
    CHECK_STR(q.text[0], "portières essayées");
    int64_t id = q.id[0];
    /* training set: only the author-categorised entry so far */
    memset(&q, 0, sizeof q);
    CHECK(s->ops->training_get(s, see_train, &q, &d) == VG_OK);
    CHECK_EQ_INT(q.n, 1);
    CHECK_STR(q.text[0], "vol de vélo");

    CHECK(s->ops->review_decide(s, id, "no_such_code", "a", 1, &d) == VG_NOTFOUND);
    CHECK(s->ops->review_decide(s, 424242, "autre", "a", 1, &d) == VG_NOTFOUND);
    CHECK(s->ops->review_decide(s, id, "vol_dans_vehicule", "analyste", 1700001000, &d) == VG_OK);
    memset(&q, 0, sizeof q);
    CHECK(s->ops->reviews_get(s, id, NULL, see, &q, &d) == VG_OK);
    CHECK_EQ_INT(q.n, 1);
    CHECK_STR(q.status[0], "corrected");
    CHECK_STR(q.cat[0], "vol_dans_vehicule"); /* the incident's category moved */
    memset(&q, 0, sizeof q);
    CHECK(s->ops->training_get(s, see_train, &q, &d) == VG_OK);
    CHECK_EQ_INT(q.n, 2);
    CHECK_STR(q.cat[0], "vol_dans_vehicule");
    /* deciding the suggested category again = confirmed */
    CHECK(s->ops->review_decide(s, id, "autre", "analyste", 1700002000, &d) == VG_OK);
    memset(&q, 0, sizeof q);
    CHECK(s->ops->reviews_get(s, id, NULL, see, &q, &d) == VG_OK);
    CHECK_STR(q.status[0], "confirmed");
    memset(&q, 0, sizeof q);
    CHECK(s->ops->reviews_get(s, 424242, NULL, see, &q, &d) == VG_NOTFOUND);
    vg_taxonomy_free(&tax);
    vg_store_close(s);
}

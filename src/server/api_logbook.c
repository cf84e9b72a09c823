/*
 * api_logbook.c — the logbook entry form (POST /api/v1/logbook), the
 * classification review queue (GET /api/v1/review, POST /api/v1/review/ID)
 * and the retention settings (GET/PUT /api/v1/retention).
 *
 * Invariant: an entry's original text is only ever held in the request
 * body; it goes through vg_logbook_put_one (ingest/logbook.c, the same
 * scrub → validate → place → classify → store path as `vigie import
 * logbook`) and only the scrubbed text is answered.  Nothing from the body
 * is put in r->object or r->detail (the audit record).  Every store access
 * holds the engine mutex.  The logbook resources (profile logbook-csv,
 * first names, classifier, gazetteer) are loaded at server start
 * (vg_api_logbook_open), so a bad file stops the start; the projection too
 * when the store has a study CRS, else at the first entry under that mutex
 * (it may have to write the CRS).  The server owns them
 * (vg_api_logbook_free).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <unistd.h>

#include "audit/purge.h"
#include "base/alloc.h"
#include "cli/commands.h"
#include "cli/geoglue.h"
#include "ingest/logbook.h"
#include "server/reqparse.h"
#include "server/routes.h"

#define LB_PROFILE "logbook-csv"
#define MAX_REVIEW_ROWS 500
#define MAX_PLACES 5000

struct vg_lbk {
    struct vg_profile *prof;
    struct vg_gazetteer *gaz;
    struct vg_scrub_names *names;
    struct vg_classifier *cl;
    struct vg_geoglue *geo;
    struct vg_buf places;   /* JSON array of the gazetteer's names */
};

void vg_api_logbook_free(struct vg_server *s)
{
    struct vg_lbk *k = s->lbk;
    if (k == NULL)
        return;
    vg_geoglue_free(k->geo);
    vg_classifier_free(k->cl);
    vg_scrub_names_free(k->names);
    vg_gazetteer_free(k->gaz);
    vg_profile_free(k->prof);
    vg_buf_free(&k->places);
    vg_free(k);
    s->lbk = NULL;
}

/* The gazetteer's names as a JSON array (the first MAX_PLACES), for the
 * form's list. */
static enum vg_err place_names(const struct vg_gazetteer *g, struct vg_buf *out)
{
    size_t n = vg_gazetteer_count(g);
    enum vg_err e = vg_buf_addc(out, '[');
    for (size_t i = 0; e == VG_OK && i < n && i < MAX_PLACES; i++) {
        const char *name;
        double lon, lat;
        vg_gazetteer_entry(g, i, &name, &lon, &lat);
        e = i ? vg_buf_addc(out, ',') : VG_OK;
        e = e ? e : vg_buf_json_str(out, name, strlen(name));
    }
    return e ? e : vg_buf_addc(out, ']');
}

/* Load the files every entry needs, as `vigie import logbook` does: the
 * profile, the gazetteer (its names for the form; without areas, CRS or
 * bbox its extent is the study area), the first names, DB.classifier when
 * trained plus the rules.  Reads files only, never writes the store, so it
 * runs at server start and a misconfigured file stops the start. */
static enum vg_err lbk_load(struct vg_server *s, struct vg_diag *d)
{
    struct vg_lbk *k = vg_calloc(1, sizeof *k);
    if (k == NULL)
        return VG_NOMEM;
    char path[600], mpath[600];
    enum vg_err e = vg_profile_load(vg_ctx_path(&s->ctx, "profiles", path, sizeof path), LB_PROFILE,
                                    &k->prof, d);
    vg_buf_init(&k->places, 0);
    if (e == VG_OK && s->cfg.gazetteer)
        e = vg_gazetteer_load(s->cfg.gazetteer, &k->gaz, d);
    if (e == VG_OK)
        e = place_names(k->gaz, &k->places); /* "[]" without a gazetteer */
    if (e == VG_OK)
        e = vg_scrub_names_load(vg_ctx_path(&s->ctx, "data/firstnames-fr.txt", path, sizeof path),
                                &k->names, d);
    vg_store_side_path(s->db, ".classifier", mpath, sizeof mpath);
    if (e == VG_OK)
        e = access(mpath, R_OK) == 0 ? vg_classifier_load(mpath, NULL, &k->cl, d)
                                     : vg_classifier_new(NULL, &k->cl);
    if (e == VG_OK)
        e = vg_classifier_load_rules(k->cl, vg_ctx_path(&s->ctx, "data/classify-rules-fr.txt", path,
                                                        sizeof path), d);
    if (e == VG_OK && !s->ctx.crs[0] && !s->ctx.layer[0] && !k->prof->has_bbox && s->cfg.gazetteer) {
        e = vg_cmd_gazetteer_bbox(k->gaz, s->cfg.gazetteer, k->prof->bbox, d);
        k->prof->has_bbox = e == VG_OK;
    }
    s->lbk = k;
    if (e)
        vg_api_logbook_free(s);
    return e;
}

/* The projection and area glue (engine mutex held once requests run).
 * Opening it on a store without a study CRS derives one from the bbox and
 * writes it to the store, or fails when the study area is not known yet
 * (a store used without logbook): that is left to the first entry. */
static enum vg_err lbk_geo(struct vg_server *s, struct vg_diag *d)
{
    if (s->lbk->geo)
        return VG_OK;
    return vg_geoglue_open(&s->ctx, s->lbk->prof, &s->lbk->geo, d);
}

enum vg_err vg_api_logbook_open(struct vg_server *s, struct vg_diag *d)
{
    enum vg_err e = s->lbk ? VG_OK : lbk_load(s, d);
    if (e == VG_OK && s->ctx.crs[0])
        e = lbk_geo(s, d);
    return e;
}

/* What an entry needs (engine mutex held); normally loaded at start. */
static enum vg_err lbk_open(struct vg_server *s, struct vg_diag *d)
{
    enum vg_err e = s->lbk ? VG_OK : lbk_load(s, d);
    return e ? e : lbk_geo(s, d);
}

/* Incident id of the newest review row of `status` (engine mutex held:
 * the entry just committed is the newest one). */
struct newest { int64_t id; };

static enum vg_err on_newest(void *arg, const struct vg_review_row *rv)
{
    struct newest *n = arg;
    if (rv->incident_id > n->id)
        n->id = rv->incident_id;
    return VG_OK;
}

static enum vg_err lb_result(struct vg_req *r, const char *id, int64_t inc,
                             const struct vg_logbook_one *w)
{
    struct vg_buf *o = &r->out;
    r->status = 201;
    enum vg_err e = vg_buf_adds(o, "{\"id\":");
    e = e ? e : vg_buf_json_str(o, id, strlen(id));
    e = e ? e : vg_buf_printf(o, ",\"incident_id\":%lld,\"category\":", (long long)inc);
    e = e ? e : vg_buf_json_str(o, w->category, strlen(w->category));
    e = e ? e : vg_buf_adds(o, ",\"suggested\":");
    e = e ? e : (w->classified ? vg_buf_json_str(o, w->suggested, strlen(w->suggested))
                               : vg_buf_adds(o, "null"));
    e = e ? e : vg_buf_printf(o, ",\"classified\":%s,\"confidence\":%.3f,\"review\":%s,\"status\":",
                              w->classified ? "true" : "false", w->confidence,
                              !strcmp(w->status, "pending") ? "true" : "false");
    e = e ? e : vg_buf_json_str(o, w->status, strlen(w->status));
    e = e ? e : vg_buf_adds(o, ",\"text\":");
    e = e ? e : vg_buf_json_str(o, w->text.p ? w->text.p : "", w->text.len);
    return e ? e : vg_buf_adds(o, "}\n");
}

static enum vg_err lb_refused(struct vg_req *r, const struct vg_logbook_one *w)
{
    struct vg_buf *o = &r->out;
    r->status = 400;
    vg_buf_reset(o);
    snprintf(r->detail, sizeof r->detail, "refused: field %s", w->field[0] ? w->field : "-");
    enum vg_err e = vg_buf_adds(o, "{\"error\":\"PARSE\",\"field\":");
    e = e ? e : vg_buf_json_str(o, w->field, strlen(w->field));
    e = e ? e : vg_buf_adds(o, ",\"message\":");
    e = e ? e : vg_buf_json_str(o, w->why, strlen(w->why));
    return e ? e : vg_buf_adds(o, "}\n");
}

enum vg_err vg_api_logbook_post(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    struct vg_logbook_fields lf;
    struct vg_logbook_one w;
    memset(&w, 0, sizeof w);
    vg_buf_init(&lf.mem, 0);
    vg_buf_init(&w.text, 0);
    unsigned char rnd[8];
    char id[48];
    randombytes_buf(rnd, sizeof rnd);
    snprintf(id, sizeof id, "web-");
    for (size_t i = 0; i < sizeof rnd; i++)
        snprintf(id + strlen(id), sizeof id - strlen(id), "%02x", rnd[i]);
    int64_t inc = 0;
    pthread_mutex_lock(&s->engine);
    enum vg_err e = lbk_open(s, d);
    if (e == VG_OK) {
        struct vg_diag jd;
        vg_diag_clear(&jd);
        enum vg_err je = vg_logbook_jsonl_fields(s->lbk->prof, r->body.p ? r->body.p : "",
                                                 r->body.len, &lf, &jd);
        if (je == VG_PARSE || je == VG_LIMIT) {
            w.rejected = 1;
            snprintf(w.why, sizeof w.why, "%s", jd.msg);
        } else {
            e = je;
        }
    }
    if (e == VG_OK && !w.rejected) {
        lf.f[VG_COL_ID] = vg_str_of(id); /* the server numbers form entries */
        struct vg_logbook_opts o = {s->ctx.store, s->lbk->prof, &s->ctx.tax,
                                    vg_geoglue_import(s->lbk->geo), s->lbk->gaz, s->lbk->names,
                                    0, s->lbk->cl, 0, NULL};
        e = vg_store_begin(s->ctx.store, d);
        char origin[160];
        snprintf(origin, sizeof origin, "web form (%s)", r->who.user);
        char tzname[64]; /* as `vigie import logbook`: the study zone is the profile's if unset */
        if (e == VG_OK && vg_store_meta_get(s->ctx.store, "study_tz", tzname, sizeof tzname) != VG_OK)
            e = vg_store_meta_set(s->ctx.store, "study_tz", s->lbk->prof->tz, d);
        if (e == VG_OK)
            e = vg_logbook_put_one(&o, origin, lf.f, &w, d);
        if (e == VG_OK)
            e = vg_store_commit(s->ctx.store, d);
        else
            vg_store_rollback(s->ctx.store);
        struct newest nw = {0};
        if (e == VG_OK && w.imported && w.status[0] &&
            s->ctx.store->ops->reviews_get(s->ctx.store, 0, w.status, on_newest, &nw, d) == VG_OK)
            inc = nw.id;
    }
    pthread_mutex_unlock(&s->engine);
    vg_buf_free(&lf.mem); /* the only copy of the original fields besides the body */
    if (e == VG_OK) {
        if (w.rejected) {
            e = lb_refused(r, &w);
        } else {
            snprintf(r->object, sizeof r->object, "entry=%s incident=%lld", id, (long long)inc);
            snprintf(r->detail, sizeof r->detail, "category=%s review=%s", w.category,
                     w.status[0] ? w.status : "none");
            e = lb_result(r, id, inc, &w);
        }
    }
    if (r->body.p)
        sodium_memzero(r->body.p, r->body.len);
    vg_buf_free(&w.text);
    return e;
}

enum vg_err vg_api_places(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    pthread_mutex_lock(&s->engine);
    enum vg_err e = s->lbk ? VG_OK : lbk_load(s, d);
    if (e == VG_OK)
        e = vg_buf_adds(&r->out, "{\"places\":");
    if (e == VG_OK)
        e = vg_buf_add(&r->out, s->lbk->places.p, s->lbk->places.len);
    pthread_mutex_unlock(&s->engine);
    return e ? e : vg_buf_adds(&r->out, "}\n");
}

/* ---- review queue ---------------------------------------------------- */

struct rv_list {
    struct vg_buf *o;
    size_t n;
};

static enum vg_err on_review(void *arg, const struct vg_review_row *rv)
{
    struct rv_list *l = arg;
    if (l->n >= MAX_REVIEW_ROWS)
        return VG_OK;
    struct vg_buf *o = l->o;
    enum vg_err e = vg_buf_printf(o, "%s{\"incident_id\":%lld,\"t_start\":%lld,\"suggested\":",
                                  l->n ? "," : "", (long long)rv->incident_id, (long long)rv->t_start);
#define S(x) (e = e ? e : ((x) ? vg_buf_json_str(o, (x), strlen(x)) : vg_buf_adds(o, "null")))
    S(rv->suggested);
    e = e ? e : vg_buf_printf(o, ",\"confidence\":%.3f,\"status\":", rv->confidence);
    S(rv->status);
    e = e ? e : vg_buf_adds(o, ",\"category\":");
    S(rv->category);
    e = e ? e : vg_buf_adds(o, ",\"final\":");
    S(rv->final_cat);
    e = e ? e : vg_buf_adds(o, ",\"analyst\":");
    S(rv->analyst);
    e = e ? e : vg_buf_adds(o, ",\"source\":");
    S(rv->source);
    e = e ? e : vg_buf_adds(o, ",\"text\":");
    S(rv->text);
#undef S
    l->n++;
    return e ? e : vg_buf_addc(o, '}');
}

enum vg_err vg_api_review_list(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    const char *st = vg_req_arg(r, "status");
    static const char *const ok[] = {"pending", "confirmed", "corrected", "accepted", "author", "any"};
    int good = st == NULL;
    for (size_t i = 0; !good && i < sizeof ok / sizeof ok[0]; i++)
        good = !strcmp(st, ok[i]);
    if (!good)
        return vg_req_error(r, VG_PARSE, 400,
                            "status: expected pending, confirmed, corrected, accepted, author or any");
    if (st == NULL)
        st = "pending";
    const char *id = vg_req_arg(r, "id");
    int64_t one = id ? strtoll(id, NULL, 10) : 0;
    if (id && one <= 0)
        return vg_req_error(r, VG_PARSE, 400, "id: expected an incident id");
    struct rv_list l = {&r->out, 0};
    enum vg_err e = vg_buf_adds(&r->out, "{\"rows\":[");
    pthread_mutex_lock(&s->engine);
    if (e == VG_OK)
        e = s->ctx.store->ops->reviews_get(s->ctx.store, one, one || !strcmp(st, "any") ? NULL : st,
                                           on_review, &l, d);
    pthread_mutex_unlock(&s->engine);
    if (e == VG_NOTFOUND)
        return vg_req_error(r, VG_NOTFOUND, 404, "incident %lld has no review row", (long long)one);
    snprintf(r->object, sizeof r->object, "status=%s%s%s", st, id ? " id=" : "", id ? id : "");
    snprintf(r->detail, sizeof r->detail, "rows=%zu", l.n);
    return e ? e : vg_buf_printf(&r->out, "],\"truncated\":%s}\n", l.n >= MAX_REVIEW_ROWS ? "true" : "false");
}

enum vg_err vg_api_review_decide(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    char *end = NULL;
    long long id = strtoll(r->tail, &end, 10);
    if (id <= 0 || end == r->tail || *end)
        return vg_req_error(r, VG_PARSE, 400, "expected /api/v1/review/ID with an incident id");
    json_t *j = NULL;
    enum vg_err e = vg_reqparse_json(r->body.p, r->body.len, s->cfg.max_body, &j, d);
    if (e)
        return e;
    const char *code = vg_reqparse_json_str(j, "category", 47);
    if (code == NULL || vg_taxonomy_find(&s->ctx.tax, code, strlen(code)) < 0) {
        e = vg_req_error(r, VG_PARSE, 400, "category: expected a category code (GET /api/v1/categories)");
        goto out;
    }
    snprintf(r->object, sizeof r->object, "incident=%lld", id);
    snprintf(r->detail, sizeof r->detail, "category=%s", code);
    pthread_mutex_lock(&s->engine);
    e = s->ctx.store->ops->review_decide(s->ctx.store, id, code, r->who.user, vg_http_now(), d);
    pthread_mutex_unlock(&s->engine);
    if (e == VG_NOTFOUND) {
        e = vg_req_error(r, VG_NOTFOUND, 404, "incident %lld has no review row", id);
        goto out;
    }
    if (e == VG_OK)
        e = vg_buf_printf(&r->out, "{\"incident_id\":%lld,\"category\":\"%s\",\"analyst\":", id, code);
    e = e ? e : vg_buf_json_str(&r->out, r->who.user, strlen(r->who.user));
    e = e ? e : vg_buf_adds(&r->out, "}\n");
out:
    json_decref(j);
    return e;
}

/* ---- retention --------------------------------------------------------- */

static enum vg_err policy_json(struct vg_req *r, const struct vg_ret_policy *p,
                               const struct vg_ret_hold *h, size_t nh)
{
    struct vg_buf *o = &r->out;
    enum vg_err e = vg_buf_adds(o, "{\"policy\":{");
    for (int t = 0; t < VG_RET_NTYPES && e == VG_OK; t++)
        e = p->days[t] == VG_RET_FOREVER
                ? vg_buf_printf(o, "%s\"%s\":null", t ? "," : "", vg_ret_type_name(t))
                : vg_buf_printf(o, "%s\"%s\":%d", t ? "," : "", vg_ret_type_name(t), (int)p->days[t]);
    e = e ? e : vg_buf_adds(o, "},\"holds\":[");
    int64_t now = vg_http_now();
    size_t k = 0;
    for (size_t i = 0; i < nh && e == VG_OK; i++) {
        if (h[i].placed > now || (h[i].lifted && h[i].lifted <= now))
            continue;
        e = vg_buf_adds(o, k++ ? ",{\"procedure\":" : "{\"procedure\":");
        e = e ? e : vg_buf_json_str(o, h[i].procedure, strlen(h[i].procedure));
        e = e ? e : vg_buf_printf(o, ",\"type\":\"%s\",\"from\":%lld,\"to\":%lld,\"placed\":%lld,\"area\":",
                                  h[i].type == VG_RET_ANY ? "any" : vg_ret_type_name(h[i].type),
                                  (long long)h[i].from, (long long)h[i].to, (long long)h[i].placed);
        e = e ? e : vg_buf_json_str(o, h[i].area, strlen(h[i].area));
        e = e ? e : vg_buf_addc(o, '}');
    }
    return e ? e : vg_buf_adds(o, "]}\n");
}

enum vg_err vg_api_retention_get(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    struct vg_ret_policy p;
    struct vg_ret_hold *h = NULL;
    size_t nh = 0;
    pthread_mutex_lock(&s->engine);
    enum vg_err e = vg_purge_policy(s->ctx.store, &p, d);
    if (e == VG_OK)
        e = vg_purge_holds(s->ctx.store, &h, &nh, d);
    pthread_mutex_unlock(&s->engine);
    if (e == VG_OK)
        e = policy_json(r, &p, h, nh);
    vg_free(h);
    return e;
}

enum vg_err vg_api_retention_put(struct vg_req *r, struct vg_diag *d)
{
    struct vg_server *s = r->srv;
    json_t *j = NULL;
    struct vg_ret_policy p;
    struct vg_buf b;
    vg_buf_init(&b, 4096);
    enum vg_err e = vg_reqparse_json(r->body.p, r->body.len, s->cfg.max_body, &j, d);
    if (e)
        return e;
    const char *text = vg_reqparse_json_str(j, "policy", 400);
    if (text == NULL) {
        e = vg_req_error(r, VG_PARSE, 400, "policy: expected a string like \"incident=1095,logbook=365\"");
        goto out;
    }
    pthread_mutex_lock(&s->engine);
    e = vg_purge_policy(s->ctx.store, &p, d);
    struct vg_diag pd;
    vg_diag_clear(&pd);
    enum vg_err pe = e ? VG_OK : vg_ret_policy_parse(text, &p, &pd);
    if (e == VG_OK && pe == VG_OK)
        e = vg_purge_policy_text(&p, &b);
    if (e == VG_OK && pe == VG_OK && (e = vg_store_begin(s->ctx.store, d)) == VG_OK) {
        e = vg_store_meta_set(s->ctx.store, VG_PURGE_POLICY_KEY, b.p, d);
        if (e == VG_OK)
            e = vg_store_commit(s->ctx.store, d);
        else
            vg_store_rollback(s->ctx.store);
    }
    pthread_mutex_unlock(&s->engine);
    if (e == VG_OK && pe) {
        e = vg_req_error(r, VG_PARSE, 400, "policy: %s", pd.msg);
        goto out;
    }
    if (e == VG_OK) {
        snprintf(r->object, sizeof r->object, "retention_policy");
        snprintf(r->detail, sizeof r->detail, "policy=%s", b.p);
        e = vg_api_retention_get(r, d);
    }
out:
    vg_buf_free(&b);
    json_decref(j);
    return e;
}

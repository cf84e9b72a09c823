/*
 * test_purge.c — vg_purge_run on a small SQLite store built by hand, with
 * an injected clock; expected counts worked out below.  Also: a dry run
 * deletes nothing, a purge without a trail is refused, an invalid stored
 * policy stops the purge before anything is deleted, the audit record
 * carries counts only; and the report's generic JSON renderer escapes.
 *
 * now = day 1000.  Policy: logbook 100 d, partner 500 d, incident forever,
 * forecast 10 d.  Rows (day): logbook 100, 800, 950; partner 400, 500, 600;
 * police record 1; forecast created 900.  Expired: logbook 100, 800
 * (t + 100 <= 1000), partner 400, 500 (500 + 500 = 1000: inclusive), the
 * forecast.  Hold on logbook [700, 900) keeps 800.  So logbook expired 2,
 * held 1, purged 1; partner 2/0/2; incident 0; forecast 1/0/1.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../test.h"
#include "audit/purge.h"
#include "report/audit_report.h"

#define DAY 86400

static struct vg_store *make_store(const char *name, struct vg_audit **log)
{
    char path[512], aud[600];
    struct vg_store *s = NULL;
    struct vg_diag d;
    int64_t ds = 0, imp = 0, fid = 0;
    snprintf(path, sizeof path, "%s/%s", vg_test_tmpdir(), name);
    unlink(path);
    snprintf(aud, sizeof aud, "%s.audit", path);
    unlink(aud);
    if (vg_sqlite_open(path, 1, &s, &d) != VG_OK)
        return NULL;
    struct vg_category c = {"cat", "cat", "cat", "g", 0, ""};
    s->ops->category_add(s, 0, &c, &d);
    s->ops->dataset(s, "t", "p", &ds, &d);
    s->ops->import_begin(s, ds, "f", &imp, &d);
    static const struct { enum vg_source src; int day; } rows[] = {
        {VG_SRC_LOGBOOK, 100}, {VG_SRC_INTERVENTION, 800}, {VG_SRC_LOGBOOK, 950},
        {VG_SRC_PARTNER_SOCIAL, 400}, {VG_SRC_PARTNER_LANDLORD, 500},
        {VG_SRC_PARTNER_HEALTH, 600}, {VG_SRC_POLICE_RECORDS, 1}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct vg_incident r;
        int ins = 0;
        memset(&r, 0, sizeof r);
        r.dataset_id = ds, r.dkey = (int64_t)i, r.tz = "UTC", r.time_known = 1;
        r.t_start = r.t_end = (int64_t)rows[i].day * DAY;
        r.area = -1, r.source = rows[i].src, r.origin = VG_ORIGIN_REPORTED, r.import_id = imp;
        s->ops->incident_put(s, &r, &ins, &d);
    }
    double x[3] = {0.5, 0.25, 0};
    struct vg_forecast_row f = {0, 7, 900 * DAY, "kde", "cat", "grid:150",
                                "0000000000000000000000000000000000000000000000000000000000000000",
                                "[]", 0, 1, x, 3};
    s->ops->forecast_put(s, &f, &fid, &d);
    vg_store_meta_set(s, VG_PURGE_POLICY_KEY, "logbook=100,partner=500,incident=forever,forecast=10", &d);
    struct vg_hold_row h = {0, "PV 1", "logbook", 700 * DAY, 900 * DAY, "", "r", "u", 0, 0, "", ""};
    int64_t hid = 0;
    s->ops->hold_add(s, &h, &hid, &d);
    if (log && vg_audit_open(path, NULL, log, &d) != VG_OK)
        *log = NULL;
    return s;
}

struct cnt { size_t n; };
static enum vg_err count_row(void *arg, int64_t id, int64_t t, int32_t a)
{
    (void)id, (void)t, (void)a;
    ((struct cnt *)arg)->n++;
    return VG_OK;
}

static size_t rows_of(struct vg_store *s, int type)
{
    struct cnt c = {0};
    s->ops->retention_scan(s, type, INT64_MAX, count_row, &c, NULL);
    return c.n;
}

TEST(purge_counts_holds_and_dry_run)
{
    struct vg_audit *log = NULL;
    struct vg_store *s = make_store("purge1.db", &log);
    struct vg_purge_counts c;
    struct vg_diag d;
    REQUIRE(s != NULL && log != NULL);
    CHECK_EQ_INT(rows_of(s, VG_RET_LOGBOOK), 3);
    CHECK_EQ_INT(rows_of(s, VG_RET_PARTNER), 3);
    CHECK(vg_purge_run(s, NULL, 1000 * DAY, 1, &c, &d) == VG_OK);
    CHECK_EQ_INT(c.expired[VG_RET_LOGBOOK], 2);
    CHECK_EQ_INT(c.held[VG_RET_LOGBOOK], 1);
    CHECK_EQ_INT(c.purged[VG_RET_LOGBOOK], 0);
    CHECK_EQ_INT(c.expired[VG_RET_PARTNER], 2);
    CHECK_EQ_INT(c.expired[VG_RET_INCIDENT], 0);
    CHECK_EQ_INT(c.expired[VG_RET_FORECAST], 1);
    CHECK_EQ_INT(rows_of(s, VG_RET_LOGBOOK), 3); /* dry run deleted nothing */
    CHECK(vg_purge_run(s, NULL, 1000 * DAY, 0, &c, &d) == VG_USAGE);
    CHECK(vg_purge_run(s, log, 1000 * DAY, 0, &c, &d) == VG_OK);
    CHECK_EQ_INT(c.purged[VG_RET_LOGBOOK], 1);
    CHECK_EQ_INT(c.purged[VG_RET_PARTNER], 2);
    CHECK_EQ_INT(c.purged[VG_RET_FORECAST], 1);
    CHECK(c.audit_seq > 0);
    CHECK_EQ_INT(rows_of(s, VG_RET_LOGBOOK), 2);
    CHECK_EQ_INT(rows_of(s, VG_RET_PARTNER), 1);
    CHECK_EQ_INT(rows_of(s, VG_RET_INCIDENT), 1);
    CHECK_EQ_INT(rows_of(s, VG_RET_FORECAST), 0);
    struct vg_audit_entry en;
    REQUIRE(vg_audit_get(log, c.audit_seq, &en, &d) == VG_OK);
    CHECK(strcmp(en.rec.action, "purge") == 0);
    CHECK(strstr(en.rec.details, "\"logbook\":{\"expired\":2,\"held\":1,\"purged\":1}") != NULL);
    vg_audit_entry_free(&en);
    /* lifting the hold releases day 800 at the next purge */
    size_t n = 0;
    CHECK(s->ops->hold_lift(s, "PV 1", 1000 * DAY, "u", "done", &n, &d) == VG_OK);
    CHECK_EQ_INT(n, 1);
    CHECK(s->ops->hold_lift(s, "PV 1", 1000 * DAY, "u", "done", &n, &d) == VG_NOTFOUND);
    CHECK(vg_purge_run(s, log, 1001 * DAY, 0, &c, &d) == VG_OK);
    CHECK_EQ_INT(c.purged[VG_RET_LOGBOOK], 1);
    CHECK_EQ_INT(c.held[VG_RET_LOGBOOK], 0);
    vg_audit_close(log, NULL);
    vg_store_close(s);
}

TEST(purge_bad_policy_deletes_nothing)
{
    struct vg_audit *log = NULL;
    struct vg_store *s = make_store("purge2.db", &log);
    struct vg_purge_counts c;
    struct vg_diag d;
    REQUIRE(s != NULL && log != NULL);
    vg_store_meta_set(s, VG_PURGE_POLICY_KEY, "logbook=-3", &d);
    CHECK(vg_purge_run(s, log, 1000 * DAY, 0, &c, &d) == VG_PARSE);
    CHECK(strstr(d.msg, "logbook=-3") != NULL);
    CHECK_EQ_INT(rows_of(s, VG_RET_LOGBOOK), 3);
    vg_audit_close(log, NULL);
    vg_store_close(s);
}

TEST(purge_report_json_renderer_escapes)
{
    struct vg_buf b;
    vg_buf_init(&b, 0);
    const char *j = "{\"rows\":[{\"area\":\"<x>\",\"share\":0.125},{\"area\":\"B&B\",\"share\":1}]}";
    CHECK(vg_areport_json_html(j, strlen(j), &b) == VG_OK);
    CHECK(strstr(b.p, "<th>area</th><th>share</th>") != NULL);
    CHECK(strstr(b.p, "<td>&lt;x&gt;</td><td>0.125</td>") != NULL);
    CHECK(strstr(b.p, "<td>B&amp;B</td><td>1</td>") != NULL);
    vg_buf_reset(&b);
    CHECK(vg_areport_json_html("{oops", 5, &b) == VG_OK);
    CHECK(strstr(b.p, "not valid JSON") != NULL);
    vg_buf_free(&b);
}

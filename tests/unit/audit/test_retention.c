/*
 * test_retention.c — retention verdicts with an injected clock.  Instants
 * are written as dates worked out by hand (2024-01-01T00:00Z = 1704067200).
 */
#include "../../test.h"
#include "audit/retention.h"

#define DAY 86400
#define JAN1_2024 1704067200

TEST(retention_policy_boundaries)
{
    struct vg_ret_policy p;
    struct vg_ret_decision r;
    vg_ret_policy_default(&p);
    p.days[VG_RET_PARTNER] = 30;
    int64_t t = JAN1_2024 + 12 * 3600;
    /* one second before the 30 days are up: keep; at the instant: purge */
    CHECK(vg_ret_decide(&p, NULL, 0, VG_RET_PARTNER, t, "Nord",
                        t + 30 * DAY - 1, &r) == VG_OK);
    CHECK_EQ_INT(r.verdict, VG_RET_KEEP);
    CHECK_EQ_INT(r.purge_at, 1706659200 + 12 * 3600); /* 2024-01-31T12:00Z */
    vg_ret_decide(&p, NULL, 0, VG_RET_PARTNER, t, "Nord", t + 30 * DAY, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_PURGE);
    p.days[VG_RET_FORECAST] = 0;
    vg_ret_decide(&p, NULL, 0, VG_RET_FORECAST, t, NULL, t, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_PURGE);
    p.days[VG_RET_AUDIT] = VG_RET_FOREVER;
    vg_ret_decide(&p, NULL, 0, VG_RET_AUDIT, 0, NULL, INT64_MAX / 2, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_KEEP);
    CHECK(r.purge_at == INT64_MAX);
    CHECK(vg_ret_decide(&p, NULL, 0, 7, t, NULL, t, &r) == VG_RANGE);
    /* no overflow near the end of time */
    vg_ret_decide(&p, NULL, 0, VG_RET_PARTNER, INT64_MAX - 5, NULL, 0, &r);
    CHECK(r.purge_at == INT64_MAX);
}

TEST(retention_holds_cover_type_time_area_and_period)
{
    struct vg_ret_policy p;
    struct vg_ret_hold h[2];
    struct vg_ret_decision r;
    struct vg_diag d;
    vg_ret_policy_default(&p);
    REQUIRE(vg_ret_policy_parse("logbook=365", &p, &d) == VG_OK);
    REQUIRE(vg_ret_hold_parse("procedure=PV 2024/117;type=logbook;"
                              "from=2024-01-01;to=2024-03-31;area=Nord;"
                              "placed=2024-06-01;lifted=2025-12-31", &h[0], &d) == VG_OK);
    CHECK_EQ_INT(h[0].from, JAN1_2024);
    CHECK_EQ_INT(h[0].to, 1711929600);     /* 2024-04-01: whole of 31 March */
    CHECK_EQ_INT(h[0].placed, 1717200000); /* 2024-06-01 */
    CHECK_EQ_INT(h[0].lifted, 1767225600); /* 2026-01-01 */
    int64_t t = JAN1_2024 + 40 * DAY;      /* 10 February 2024 */
    int64_t now = t + 400 * DAY;           /* retention (365 d) expired */
    vg_ret_decide(&p, h, 1, VG_RET_LOGBOOK, t, "Nord", now, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_HELD);
    CHECK_EQ_INT(r.hold, 0);
    vg_ret_decide(&p, h, 1, VG_RET_LOGBOOK, t, "Sud", now, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_PURGE);   /* other area */
    vg_ret_decide(&p, h, 1, VG_RET_LOGBOOK, t, "", now, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_HELD);    /* unknown area: held */
    vg_ret_decide(&p, h, 1, VG_RET_PARTNER, t, "Nord", now + 400 * DAY, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_PURGE);   /* other type */
    vg_ret_decide(&p, h, 1, VG_RET_LOGBOOK, 1711929600, "Nord", 1711929600 + 400 * DAY, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_PURGE);   /* 1 April: outside [from,to) */
    vg_ret_decide(&p, h, 1, VG_RET_LOGBOOK, t, "Nord", 1767225600, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_PURGE);   /* hold lifted */
    p.days[VG_RET_LOGBOOK] = 60;           /* expires 2024-04-10 */
    vg_ret_decide(&p, h, 1, VG_RET_LOGBOOK, t, "Nord", 1717200000 - 1, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_PURGE);   /* hold not yet placed */
    vg_ret_decide(&p, h, 1, VG_RET_LOGBOOK, t, "Nord", 1717200000, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_HELD);    /* placed at that instant */
    p.days[VG_RET_LOGBOOK] = 365;
    /* a second, open-ended hold on every type */
    REQUIRE(vg_ret_hold_parse("procedure=JI 23/9", &h[1], &d) == VG_OK);
    vg_ret_decide(&p, h, 2, VG_RET_PARTNER, t, "Sud", now + 4000 * DAY, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_HELD);
    CHECK_EQ_INT(r.hold, 1);
    /* within retention a covering hold is reported but the verdict is keep */
    vg_ret_decide(&p, h, 2, VG_RET_LOGBOOK, t, "Nord", t + DAY, &r);
    CHECK_EQ_INT(r.verdict, VG_RET_KEEP);
    CHECK_EQ_INT(r.hold, 1);
}

TEST(retention_parse_errors)
{
    struct vg_ret_policy p;
    struct vg_ret_hold h;
    struct vg_diag d;
    vg_ret_policy_default(&p);
    CHECK(vg_ret_policy_parse("logbook=365,partner=forever,audit=0", &p, &d) == VG_OK);
    CHECK_EQ_INT(p.days[VG_RET_PARTNER], VG_RET_FOREVER);
    CHECK_EQ_INT(p.days[VG_RET_AUDIT], 0);
    CHECK(vg_ret_policy_parse("videos=30", &p, &d) == VG_PARSE);
    CHECK(vg_ret_policy_parse("logbook=-3", &p, &d) == VG_PARSE);
    CHECK(vg_ret_policy_parse("logbook=12x", &p, &d) == VG_PARSE);
    CHECK(vg_ret_policy_parse("logbook=1,logbook=2", &p, &d) == VG_PARSE);
    CHECK(strstr(d.msg, "twice") != NULL);
    CHECK(vg_ret_hold_parse("type=logbook", &h, &d) == VG_PARSE);
    CHECK(vg_ret_hold_parse("procedure=X;from=2024-02-30x", &h, &d) == VG_PARSE);
    CHECK(vg_ret_hold_parse("procedure=X;from=2024-03-01;to=2024-01-01", &h, &d) == VG_PARSE);
    CHECK(vg_ret_hold_parse("procedure=X;colour=red", &h, &d) == VG_PARSE);
    CHECK(vg_ret_hold_parse("procedure=X;type=cars", &h, &d) == VG_PARSE);
}

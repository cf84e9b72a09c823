/*
 * test_acct.c — the dates of the accountability commands (legal holds,
 * place exports): calendar days of the town's zone, explicit UTC with a
 * final Z, and local clock times that a DST change makes absent or
 * ambiguous refused.  Expected instants worked out by hand from the
 * Europe/Paris rules (CET +01:00, CEST +02:00 from 2024-03-31 02:00 to
 * 2024-10-27 03:00).
 */
#include <string.h>

#include "../../test.h"
#include "base/tz.h"
#include "cli/acct.h"

TEST(acct_when_local_days_and_dst)
{
    struct vg_diag d;
    int64_t t = 0;
    const struct vg_tz *paris = vg_tz_get("Europe/Paris", &d);
    REQUIRE(paris != NULL);
    /* 2024-03-01 00:00 CET = 2024-02-29T23:00Z */
    CHECK(vg_acct_when("from", "2024-03-01", 0, paris, &t, &d) == VG_OK);
    CHECK_EQ_INT(t, 1709247600);
    /* --to 2024-03-30 ends when 31 March starts: 2024-03-30T23:00Z */
    CHECK(vg_acct_when("to", "2024-03-30", 1, paris, &t, &d) == VG_OK);
    CHECK_EQ_INT(t, 1711839600);
    /* --to 2024-03-31 (a 23-hour day) ends at 1 April 00:00 CEST = 2024-03-31T22:00Z */
    CHECK(vg_acct_when("to", "2024-03-31", 1, paris, &t, &d) == VG_OK);
    CHECK_EQ_INT(t, 1711922400);
    /* summer: 2024-07-01 00:00 CEST = 2024-06-30T22:00Z */
    CHECK(vg_acct_when("from", "2024-07-01", 0, paris, &t, &d) == VG_OK);
    CHECK_EQ_INT(t, 1719784800);
    /* a local clock time, and the same in UTC */
    CHECK(vg_acct_when("from", "2024-07-01T08:30", 0, paris, &t, &d) == VG_OK);
    CHECK_EQ_INT(t, 1719815400);
    CHECK(vg_acct_when("from", "2024-07-01T06:30Z", 0, paris, &t, &d) == VG_OK);
    CHECK_EQ_INT(t, 1719815400);
    /* 02:30 does not exist on 31 March, exists twice on 27 October */
    CHECK(vg_acct_when("from", "2024-03-31T02:30", 0, paris, &t, &d) == VG_USAGE);
    CHECK(strstr(d.msg, "2024-03-31T02:30") != NULL && strstr(d.msg, "Europe/Paris") != NULL);
    CHECK(vg_acct_when("from", "2024-10-27T02:30", 0, paris, &t, &d) == VG_USAGE);
    CHECK(vg_acct_when("from", "2024-10-27T02:30Z", 0, paris, &t, &d) == VG_OK);
    /* no zone: UTC days as before */
    CHECK(vg_acct_when("from", "2024-03-01", 0, NULL, &t, &d) == VG_OK);
    CHECK_EQ_INT(t, 1709251200);
    CHECK(vg_acct_when("to", "2024-03-01", 1, NULL, &t, &d) == VG_OK);
    CHECK_EQ_INT(t, 1709337600);
    /* malformed */
    CHECK(vg_acct_when("from", "2024-13-01", 0, paris, &t, &d) == VG_USAGE);
    CHECK(strstr(d.msg, "--from \"2024-13-01\"") != NULL);
    CHECK(vg_acct_when("from", "2024-03-01T10", 0, paris, &t, &d) == VG_USAGE);
}

/*
 * test_dtfmt.c — compiled date formats: every named format, 12-hour edge
 * cases, zone designators, optional parts, and a table of malformed inputs
 * that must be rejected with a reason.  Calendar validity is also checked
 * exhaustively against glibc's timegm() normalisation.
 */
#include "../../test.h"

#include <time.h>

#include "base/dtfmt.h"

struct ok_case {
    const char *fmt, *in;
    int y, mo, d, h, mi, s, has_time, has_off, off;
};

static const struct ok_case oks[] = {
    /* iso */
    {"iso", "2018-03-25", 2018, 3, 25, 0, 0, 0, 0, 0, 0},
    {"iso", "2018-03-25T20:05", 2018, 3, 25, 20, 5, 0, 1, 0, 0},
    {"iso", "2018-03-25 20:05:09", 2018, 3, 25, 20, 5, 9, 1, 0, 0},
    {"iso", "2018-03-25T20:05:09.123", 2018, 3, 25, 20, 5, 9, 1, 0, 0},
    {"iso", "2018-03-25T20:05:09,5Z", 2018, 3, 25, 20, 5, 9, 1, 1, 0},
    {"iso", "2018-03-25T20:05:09Z", 2018, 3, 25, 20, 5, 9, 1, 1, 0},
    {"iso", "2018-03-25T20:05Z", 2018, 3, 25, 20, 5, 0, 1, 1, 0},
    {"iso", "2018-03-25T20:05:09+02:00", 2018, 3, 25, 20, 5, 9, 1, 1, 7200},
    {"iso", "2018-03-25T20:05:09+0530", 2018, 3, 25, 20, 5, 9, 1, 1, 19800},
    {"iso", "2018-03-25T20:05:09-05", 2018, 3, 25, 20, 5, 9, 1, 1, -18000},
    {"iso", "2018-03-25T20:05:09.999999999-09:30", 2018, 3, 25, 20, 5, 9, 1, 1,
     -34200},
    {"iso", "  2018-03-25  20:05  ", 2018, 3, 25, 20, 5, 0, 1, 0, 0},
    {"iso", "2020-02-29T00:00", 2020, 2, 29, 0, 0, 0, 1, 0, 0},
    {"iso", "2000-02-29", 2000, 2, 29, 0, 0, 0, 0, 0, 0},
    {"iso", "2018-3-5 7:05", 2018, 3, 5, 7, 5, 0, 1, 0, 0},
    {"iso", "2018-12-31T23:59:59", 2018, 12, 31, 23, 59, 59, 1, 0, 0},
    /* fr */
    {"fr", "25/03/2018", 2018, 3, 25, 0, 0, 0, 0, 0, 0},
    {"fr", "25/03/2018 20:05", 2018, 3, 25, 20, 5, 0, 1, 0, 0},
    {"fr", "5/3/2018 09:05:07", 2018, 3, 5, 9, 5, 7, 1, 0, 0},
    /* us12 */
    {"us12", "03/25/2018 08:05 PM", 2018, 3, 25, 20, 5, 0, 1, 0, 0},
    {"us12", "03/25/2018 08:05:33 am", 2018, 3, 25, 8, 5, 33, 1, 0, 0},
    {"us12", "3/5/2018 12:00 AM", 2018, 3, 5, 0, 0, 0, 1, 0, 0},
    {"us12", "3/5/2018 12:59:59 AM", 2018, 3, 5, 0, 59, 59, 1, 0, 0},
    {"us12", "3/5/2018 12:00 PM", 2018, 3, 5, 12, 0, 0, 1, 0, 0},
    {"us12", "3/5/2018 12:30 pM", 2018, 3, 5, 12, 30, 0, 1, 0, 0},
    {"us12", "3/5/2018 1:00 PM", 2018, 3, 5, 13, 0, 0, 1, 0, 0},
    {"us12", "3/5/2018 11:59 PM", 2018, 3, 5, 23, 59, 0, 1, 0, 0},
    {"us12", "3/5/2018 11:59 AM", 2018, 3, 5, 11, 59, 0, 1, 0, 0},
    /* compact */
    {"compact", "20180325", 2018, 3, 25, 0, 0, 0, 0, 0, 0},
    {"compact", "201803252005", 2018, 3, 25, 20, 5, 0, 1, 0, 0},
    {"compact", "20180325200509", 2018, 3, 25, 20, 5, 9, 1, 0, 0},
    /* custom patterns */
    {"%Y-%m-%d %H:%M", "2018-03-25 20:05", 2018, 3, 25, 20, 5, 0, 1, 0, 0},
    {"%d.%m.%Y %H:%M:%S", "25.03.2018 20:05:09", 2018, 3, 25, 20, 5, 9, 1, 0, 0},
    {"%Y-%m-%d[ %H:%M[:%S]]", "2018-03-25", 2018, 3, 25, 0, 0, 0, 0, 0, 0},
    {"%Y-%m-%d[ %H:%M[:%S]]", "2018-03-25 01:02", 2018, 3, 25, 1, 2, 0, 1, 0, 0},
    {"%Y-%m-%dT%H:%M:%S%z", "2018-03-25T20:05:09z", 2018, 3, 25, 20, 5, 9, 1, 1, 0},
    {"%Y%%%m%%%d", "2018%03%25", 2018, 3, 25, 0, 0, 0, 0, 0, 0},
    {"%Y-%m-%d %I%p", "2018-03-25 7pm", 2018, 3, 25, 19, 0, 0, 1, 0, 0},
    {"%Y-%m-%d[T]%H:%M", "2018-03-25T20:05", 2018, 3, 25, 20, 5, 0, 1, 0, 0},
    {"%Y-%m-%d[T]%H:%M", "2018-03-2520:05", 2018, 3, 25, 20, 5, 0, 1, 0, 0},
};

TEST(dtfmt_accepts_valid_inputs)
{
    for (size_t i = 0; i < sizeof oks / sizeof oks[0]; i++) {
        const struct ok_case *c = &oks[i];
        struct vg_dtfmt f;
        struct vg_diag d;
        struct vg_dt t;
        const char *why = "unset";
        if (vg_dtfmt_compile(c->fmt, &f, &d) != VG_OK) {
            vg_test_fail(__FILE__, __LINE__, "compile %s: %s", c->fmt, d.msg);
            continue;
        }
        memset(&t, 0x55, sizeof t);
        if (vg_dtfmt_parse(&f, c->in, strlen(c->in), &t, &why) != VG_OK) {
            vg_test_fail(__FILE__, __LINE__, "%s \"%s\": %s", c->fmt, c->in, why);
            continue;
        }
        CHECK(why == NULL);
        if (t.year != c->y || t.month != c->mo || t.day != c->d ||
            t.hour != c->h || t.min != c->mi || t.sec != c->s ||
            t.has_time != c->has_time || t.has_offset != c->has_off ||
            (c->has_off && t.offset != c->off))
            vg_test_fail(__FILE__, __LINE__,
                         "%s \"%s\" -> %d-%d-%d %d:%d:%d time %d off %d/%d",
                         c->fmt, c->in, t.year, t.month, t.day, t.hour, t.min,
                         t.sec, t.has_time, t.has_offset, (int)t.offset);
    }
}

struct bad_case {
    const char *fmt, *in, *why_part; /* why_part: substring of the reason */
};

static const struct bad_case bads[] = {
    {"iso", "2018-13-01", "month"},
    {"iso", "2018-00-01", "month"},
    {"iso", "2018-04-31", "end of the month"},
    {"iso", "2019-02-29", "29 February"},
    {"iso", "1900-02-29", "29 February"},
    {"iso", "2018-02-30", "end of the month"},
    {"iso", "2018-01-32", "day"},
    {"iso", "2018-01-00", "day"},
    {"iso", "2018-03-25T24:00", "hour"},
    {"iso", "2018-03-25T23:60", "minute"},
    {"iso", "2018-03-25T23:59:60", "second"},
    {"iso", "2018-03-25T20:05:09+15:00", "offset"},
    {"iso", "2018-03-25T20:05:09+02:60", "offset"},
    {"iso", "2018-03-25T20:05:09+2", "offset"},
    {"iso", "2018-03-25x", "unexpected"},
    {"iso", "2018-03-25T20:05:09 junk", ""},
    {"iso", "2018-03-25T20:05:09.", ""},
    {"iso", "2018-03-25T20:05:09.1234567890", "fractional"},
    {"iso", "2018-03-25T20:5", "digit"},
    {"iso", "18-03-25", "year"},
    {"iso", "0000-01-01", "year"},
    {"iso", "20180-03-25", ""},
    {"iso", "2018-003-25", ""},
    {"iso", "", "year"},
    {"iso", "   ", "year"},
    {"iso", "2018-03-25T", ""},
    {"iso", "2018-03-25T20", ""},
    {"iso", "2018\xff" "03-25", "unexpected"},
    {"fr", "31/04/2018", "end of the month"},
    {"fr", "29/02/2019", "29 February"},
    {"fr", "25/13/2018", "month"},
    {"fr", "25/03/2018 24:00", "hour"},
    {"fr", "25-03-2018", "unexpected"},
    {"us12", "03/25/2018 13:00 PM", "12-hour"},
    {"us12", "03/25/2018 00:30 AM", "12-hour"},
    {"us12", "03/25/2018 08:05", "AM/PM"},
    {"us12", "03/25/2018 08:05 XM", "AM/PM"},
    {"us12", "03/25/2018 08:05 P", "AM/PM"},
    {"us12", "03/25/2018 08:05 PMX", ""},
    {"us12", "13/25/2018 08:05 PM", "month"},
    {"compact", "2018032", ""},
    {"compact", "201803251", ""},
    {"compact", "2018032520", ""},
    {"compact", "20181301", "month"},
    {"compact", "201803252460", "hour"},
    {"compact", "20180325203", ""},
    {"%Y-%m-%d %H:%M", "2018-03-25 20:05:00", "trailing"},
    {"%Y-%m-%d %H:%M", "2018-03-25", "space"},
    {"%Y-%m-%d %H:%M", "2018-03-25T20:05", "space"},
    {"%Y-%m-%d %H:%M", "2018-03-25 -1:05", "digit"},
};

TEST(dtfmt_rejects_malformed_inputs)
{
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        const struct bad_case *c = &bads[i];
        struct vg_dtfmt f;
        struct vg_dt t;
        const char *why = NULL;
        REQUIRE(vg_dtfmt_compile(c->fmt, &f, NULL) == VG_OK);
        if (vg_dtfmt_parse(&f, c->in, strlen(c->in), &t, &why) != VG_PARSE) {
            vg_test_fail(__FILE__, __LINE__, "%s accepted \"%s\"", c->fmt, c->in);
            continue;
        }
        if (why == NULL || strstr(why, c->why_part) == NULL)
            vg_test_fail(__FILE__, __LINE__, "%s \"%s\": reason \"%s\", want \"%s\"",
                         c->fmt, c->in, why ? why : "(null)", c->why_part);
    }
}

TEST(dtfmt_length_is_respected)
{
    /* the input is s[0..len), not a C string: bytes after len are ignored */
    struct vg_dtfmt f;
    struct vg_dt t;
    REQUIRE(vg_dtfmt_compile("iso", &f, NULL) == VG_OK);
    const char *s = "2018-03-25T20:05:09Z";
    CHECK(vg_dtfmt_parse(&f, s, 10, &t, NULL) == VG_OK);
    CHECK(t.has_time == 0 && t.day == 25);
    CHECK(vg_dtfmt_parse(&f, s, 16, &t, NULL) == VG_OK);
    CHECK(t.has_time == 1 && t.min == 5 && t.sec == 0);
    CHECK(vg_dtfmt_parse(&f, s, 9, &t, NULL) == VG_OK); /* day "2" */
    CHECK(t.day == 2);
    CHECK(vg_dtfmt_parse(&f, s, 8, &t, NULL) == VG_PARSE);
    CHECK(vg_dtfmt_parse(&f, s, 0, &t, NULL) == VG_PARSE);
}

TEST(dtfmt_compile_errors)
{
    static const char *bad[] = {"%Y-%m", "%Y-%m-%d %Q", "%Y-%m-%d %", "%Y-%m-%d [%H",
                                "%Y-%m-%d %H]", "%Y-%m-%d %I:%M", "%Y-%m-%d %H %p",
                                "%Y-%m-%d %H|%M", "%Y[-%m]-%d", "[[[[[[[[[%Y-%m-%d]]]]]]]]]",
                                /* 49 instructions, 52 bytes: too many ops */
                                "%Y%m%dxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                                /* 64 bytes: too long to keep in text[] */
                                "%Y-%m-%d %H:%M:%S                                       "
                                "       "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct vg_dtfmt f;
        struct vg_diag d;
        enum vg_err e = vg_dtfmt_compile(bad[i], &f, &d);
        if (e == VG_OK)
            vg_test_fail(__FILE__, __LINE__, "compiled \"%s\"", bad[i]);
        else
            CHECK(d.msg[0] != '\0');
        /* a failed compile leaves a format that rejects everything */
        struct vg_dt t;
        const char *why;
        CHECK(vg_dtfmt_parse(&f, "2018-01-01", 10, &t, &why) == VG_PARSE);
    }
    struct vg_dtfmt f;
    CHECK(vg_dtfmt_compile("iso", &f, NULL) == VG_OK);
    CHECK_STR(f.text, "iso");
}

TEST(dtfmt_calendar_matches_timegm)
{
    /* Every (year, month, day 1..31) of 1896..2104: accepted exactly when
     * glibc's timegm() does not normalise the date into another month. */
    struct vg_dtfmt f;
    REQUIRE(vg_dtfmt_compile("%Y-%m-%d", &f, NULL) == VG_OK);
    int bad = 0;
    for (int y = 1896; y <= 2104; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= 31; d++) {
                char s[16];
                struct vg_dt t;
                struct tm tm = {0};
                int n = snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
                tm.tm_year = y - 1900;
                tm.tm_mon = m - 1;
                tm.tm_mday = d;
                timegm(&tm);
                int libc_ok = tm.tm_mday == d && tm.tm_mon == m - 1;
                int ok = vg_dtfmt_parse(&f, s, (size_t)n, &t, NULL) == VG_OK;
                bad += ok != libc_ok;
            }
    CHECK_EQ_INT(bad, 0);
}

/* Tests of the time-of-day profile (model/tod.c) and calendar.c. */
#include "../../test.h"
#include "model/calendar.h"
#include "model/tod.h"
#include "mtest.h"

TEST(tod_shares_sum_to_one)
{
    struct vg_events ev;
    const struct vg_tz *tz = vg_tz_get("Europe/Paris", NULL);
    REQUIRE(tz);
    vg_events_init(&ev);
    uint64_t s = 12345;
    for (int i = 0; i < 5000; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        mt_push(&ev, i, mt_utc(2018, 1, 1, 0, 0) + (int64_t)((s >> 33) % (365 * 86400)), 0, 0);
    }
    vg_events_sort(&ev);
    struct vg_tod p;
    vg_tod_learn(&ev, ev.n, tz, 1.5, 500, &p);
    double sum = 0;
    for (int i = 0; i < VG_TOD_BINS; i++) {
        CHECK(p.share[i] > 0);
        sum += p.share[i];
    }
    CHECK_NEAR(sum, 1.0, 1e-12);
    /* a week starting at any instant holds the whole week */
    int64_t a = mt_utc(2018, 6, 6, 13, 17);
    CHECK_NEAR(vg_tod_share(&p, tz, a, a + 7 * 86400), 1.0, 1e-12);
    double days = 0;
    for (int k = 0; k < 7; k++)
        days += vg_tod_weekday_share(&p, k + 1);
    CHECK_NEAR(days, 1.0, 1e-12);
    /* three weeks: whole weeks counted exactly */
    CHECK_NEAR(vg_tod_share(&p, tz, a, a + 21 * 86400), 3.0, 1e-9);
    vg_events_free(&ev);
}

TEST(tod_dst_nights_have_real_hours)
{
    const struct vg_tz *tz = vg_tz_get("Europe/Paris", NULL);
    REQUIRE(tz);
    struct vg_tod u;
    vg_tod_uniform(&u);
    /* 20:00-03:30 starting 2018-10-27 (fall back): 18:00Z .. 02:30Z = 8.5 h */
    int64_t a = mt_utc(2018, 10, 27, 18, 0), b = mt_utc(2018, 10, 28, 2, 30);
    CHECK_NEAR(vg_tod_share(&u, tz, a, b) * 168, 8.5, 1e-12);
    /* spring forward 2018-03-24: 19:00Z .. 01:30Z = 6.5 h */
    a = mt_utc(2018, 3, 24, 19, 0), b = mt_utc(2018, 3, 25, 1, 30);
    CHECK_NEAR(vg_tod_share(&u, tz, a, b) * 168, 6.5, 1e-12);
    /* profile concentrated on Sunday 02:00-03:00 local: on the fall-back
     * Sunday that wall-clock hour happens twice, in spring not at all */
    struct vg_tod p;
    memset(&p, 0, sizeof p);
    p.share[6 * 24 + 2] = 1;
    a = mt_utc(2018, 10, 27, 22, 0); /* Sunday 00:00 CEST */
    b = mt_utc(2018, 10, 28, 23, 0); /* Monday 00:00 CET */
    CHECK_NEAR(vg_tod_share(&p, tz, a, b), 2.0, 1e-12);
    a = mt_utc(2018, 3, 24, 23, 0);
    b = mt_utc(2018, 3, 25, 22, 0);
    CHECK_NEAR(vg_tod_share(&p, tz, a, b), 0.0, 1e-12);
    /* a quarter of that hour */
    a = mt_utc(2018, 10, 28, 0, 15), b = mt_utc(2018, 10, 28, 0, 30);
    CHECK_NEAR(vg_tod_share(&p, tz, a, b), 0.25, 1e-12);
}

TEST(tod_midnight_excluded_and_smoothed)
{
    const struct vg_tz *tz = vg_tz_get("UTC", NULL);
    struct vg_events ev;
    REQUIRE(tz);
    vg_events_init(&ev);
    /* 2018-01-01 is a Monday.  100 events at Monday 14:30, 50 at 00:00 */
    for (int i = 0; i < 100; i++)
        mt_push(&ev, i, mt_utc(2018, 1, 1 + 7 * (i % 10), 14, 30), 0, 0);
    for (int i = 0; i < 50; i++)
        mt_push(&ev, 100 + i, mt_utc(2018, 1, 2 + (i % 5), 0, 0), 0, 0);
    vg_events_sort(&ev);
    struct vg_tod p;
    vg_tod_learn(&ev, ev.n, tz, 1.5, 0, &p);
    CHECK_EQ_INT(p.n_used, 100);
    CHECK_EQ_INT(p.n_midnight, 50);
    /* prior 0: pure circular Gaussian smoothing of one spike, sigma 1.5 h:
     * share(14 ± j) = exp(-j²/4.5) / sum_{|k|<=6} exp(-k²/4.5) */
    double ks = 0;
    for (int k = -6; k <= 6; k++)
        ks += exp(-k * k / 4.5);
    CHECK_NEAR(p.share[14], 1 / ks, 1e-12);
    CHECK_NEAR(p.share[13], exp(-1 / 4.5) / ks, 1e-12);
    CHECK_NEAR(p.share[16], exp(-4 / 4.5) / ks, 1e-12);
    CHECK_NEAR(p.share[24], 0, 1e-15); /* Tuesday 00:00 got nothing */
    vg_events_free(&ev);
}

TEST(calendar_easter_and_holidays)
{
    int y, m, d;
    static const int easter[][3] = {{2000, 4, 23}, {2018, 4, 1}, {2019, 4, 21},
                                    {2024, 3, 31}, {2038, 4, 25}, {2285, 3, 22}};
    for (size_t i = 0; i < sizeof easter / sizeof easter[0]; i++) {
        vg_civil_from_days(vg_calendar_easter(easter[i][0]), &y, &m, &d);
        CHECK_EQ_INT(m, easter[i][1]);
        CHECK_EQ_INT(d, easter[i][2]);
    }
    CHECK(vg_calendar_french_holiday(vg_days_from_civil(2018, 4, 2)));   /* lundi de Pâques */
    CHECK(vg_calendar_french_holiday(vg_days_from_civil(2019, 5, 30)));  /* Ascension */
    CHECK(vg_calendar_french_holiday(vg_days_from_civil(2019, 6, 10)));  /* Pentecôte */
    CHECK(vg_calendar_french_holiday(vg_days_from_civil(2018, 7, 14)));
    CHECK(vg_calendar_french_holiday(vg_days_from_civil(2018, 11, 11)));
    CHECK(!vg_calendar_french_holiday(vg_days_from_civil(2018, 7, 13)));
    CHECK(!vg_calendar_french_holiday(vg_days_from_civil(2019, 4, 21))); /* Sunday itself */
    int count = 0;
    for (int64_t day = vg_days_from_civil(2019, 1, 1); day < vg_days_from_civil(2020, 1, 1); day++)
        count += vg_calendar_french_holiday(day);
    CHECK_EQ_INT(count, 11);
}

TEST(calendar_school_file)
{
    struct vg_calendar c;
    struct vg_diag d;
    vg_calendar_init(&c);
    const char *txt = "# zone C\n2019-02-23 2019-03-10\n\n2018-12-22 2019-01-06  # Noël\n";
    REQUIRE(vg_calendar_parse_school(txt, "t.txt", &c, &d) == VG_OK);
    CHECK_EQ_INT(c.n, 2);
    CHECK(vg_calendar_school(&c, vg_days_from_civil(2018, 12, 22)));
    CHECK(vg_calendar_school(&c, vg_days_from_civil(2019, 1, 6)));
    CHECK(!vg_calendar_school(&c, vg_days_from_civil(2019, 1, 7)));
    CHECK(vg_calendar_school(&c, vg_days_from_civil(2019, 3, 1)));
    CHECK(!vg_calendar_school(NULL, vg_days_from_civil(2019, 3, 1)));
    vg_calendar_free(&c);
    vg_calendar_init(&c);
    CHECK(vg_calendar_parse_school("2019-01-01 2019-01-05\n2019-03-10 2019-02-23\n",
                                   "bad.txt", &c, &d) == VG_PARSE);
    CHECK_EQ_INT(d.line, 2);
    CHECK(strstr(d.msg, "2019-03-10") != NULL);
    vg_calendar_free(&c);
}

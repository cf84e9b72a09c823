/*
 * test_tz.c — civil dates, zones and shifts, checked against independent
 * computations: a naive day-counting loop, glibc's localtime_r/strftime with
 * TZ set (its own tz code reading the same tzdata, or a POSIX TZ string),
 * and hand-worked DST examples.
 */
#include "../../test.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "base/tz.h"

#define H 3600

static int64_t utc(int y, int mo, int d, int h, int mi)
{
    return vg_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

TEST(tz_days_from_civil_naive_loop)
{
    /* 1900-01-01 is 25567 days before 1970-01-01 and was a Monday. */
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t n = -25567, bad = 0;
    long k = 0;
    for (int y = 1900; y <= 2100; y++)
        for (int m = 1; m <= 12; m++) {
            int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            int last = dim[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= last; d++, n++, k++) {
                int yy, mm, dd;
                vg_civil_from_days(n, &yy, &mm, &dd);
                bad += vg_days_from_civil(y, m, d) != n;
                bad += yy != y || mm != m || dd != d;
                bad += vg_weekday_of_days(n) != (int)(k % 7) + 1;
            }
        }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(n, vg_days_from_civil(2101, 1, 1));
    CHECK_EQ_INT(vg_days_from_civil(1970, 1, 1), 0);
    CHECK_EQ_INT(vg_days_from_civil(1969, 12, 31), -1);
    CHECK_EQ_INT(vg_days_from_civil(2000, 3, 1), 11017);
}

TEST(tz_iso_week_known_dates)
{
    static const struct { int y, m, d, iy, w; } k[] = {
        {2018, 12, 31, 2019, 1}, {2021, 1, 3, 2020, 53}, {2005, 1, 1, 2004, 53},
        {2008, 12, 29, 2009, 1}, {2010, 1, 3, 2009, 53}, {2018, 3, 25, 2018, 12},
        {2020, 12, 31, 2020, 53}, {2026, 6, 15, 2026, 25},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        int iy, w;
        vg_iso_week(vg_days_from_civil(k[i].y, k[i].m, k[i].d), &iy, &w);
        CHECK_EQ_INT(iy, k[i].iy);
        CHECK_EQ_INT(w, k[i].w);
    }
}

TEST(tz_iso_week_matches_strftime)
{
    int bad = 0;
    for (int64_t n = vg_days_from_civil(1970, 1, 1);
         n < vg_days_from_civil(2041, 1, 1); n++) {
        time_t t = (time_t)(n * 86400);
        struct tm tm;
        char buf[32];
        int iy, w;
        gmtime_r(&t, &tm);
        strftime(buf, sizeof buf, "%G %V %u", &tm);
        vg_iso_week(n, &iy, &w);
        char mine[32];
        snprintf(mine, sizeof mine, "%04d %02d %d", iy, w, vg_weekday_of_days(n));
        if (strcmp(buf, mine) != 0 && bad++ == 0)
            vg_test_fail(__FILE__, __LINE__, "day %lld: libc %s, vg %s",
                         (long long)n, buf, mine);
    }
    CHECK_EQ_INT(bad, 0);
}

/* Compare zone `name` (loaded by vg_tz_get) with glibc using TZ=`tzenv`
 * every `step` seconds over [from, to): offset, civil fields, round trip. */
static long compare_libc(const struct vg_tz *z, const char *tzenv, int64_t from,
                         int64_t to, int64_t step)
{
    char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    long bad = 0;
    setenv("TZ", tzenv, 1);
    tzset();
    for (int64_t t = from; t < to; t += step) {
        time_t tt = (time_t)t;
        struct tm tm;
        struct vg_civil c;
        int32_t off;
        int64_t early = 0, late = 0, strict = 0;
        localtime_r(&tt, &tm);
        vg_tz_to_local(z, t, &c, &off);
        int ok = off == tm.tm_gmtoff && vg_tz_offset(z, t) == off &&
                 c.year == tm.tm_year + 1900 && c.month == tm.tm_mon + 1 &&
                 c.day == tm.tm_mday && c.hour == tm.tm_hour &&
                 c.min == tm.tm_min && c.sec == tm.tm_sec &&
                 c.weekday == (tm.tm_wday + 6) % 7 + 1 && c.yday == tm.tm_yday;
        /* local -> utc: t is one of the (at most two) readings */
        enum vg_err e1 = vg_tz_from_local(z, c.year, c.month, c.day, c.hour,
                                          c.min, c.sec, VG_TZ_EARLIER, &early);
        enum vg_err e2 = vg_tz_from_local(z, c.year, c.month, c.day, c.hour,
                                          c.min, c.sec, VG_TZ_LATER, &late);
        enum vg_err e3 = vg_tz_from_local(z, c.year, c.month, c.day, c.hour,
                                          c.min, c.sec, VG_TZ_STRICT, &strict);
        ok = ok && e1 == VG_OK && e2 == VG_OK && early <= late &&
             (t == early || t == late) &&
             (early == late ? e3 == VG_OK && strict == t : e3 == VG_RANGE);
        if (!ok && bad++ < 3)
            vg_test_fail(__FILE__, __LINE__,
                         "%s t=%lld: libc %04d-%02d-%02d %02d:%02d off %ld; vg "
                         "%04d-%02d-%02d %02d:%02d off %d; back %lld/%lld",
                         tzenv, (long long)t, tm.tm_year + 1900, tm.tm_mon + 1,
                         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_gmtoff,
                         c.year, c.month, c.day, c.hour, c.min, (int)off,
                         (long long)early, (long long)late);
    }
    if (old) {
        setenv("TZ", old, 1);
        free(old);
    } else {
        unsetenv("TZ");
    }
    tzset();
    return bad;
}

/* Local wall-clock grid -> UTC: where vg_tz_from_local says the reading is
 * unique (STRICT succeeds), glibc's mktime(tm_isdst = -1) must agree; where
 * it is a gap or an overlap, mktime's answer must be one of ours.  */
static long compare_mktime(const struct vg_tz *z, const char *tzenv, int64_t step)
{
    char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    long bad = 0;
    setenv("TZ", tzenv, 1);
    tzset();
    for (int64_t L = utc(1970, 1, 2, 0, 0); L < utc(2041, 1, 1, 0, 0); L += step) {
        struct vg_civil c;
        int64_t e = 0, l = 0, st = 0;
        vg_tz_to_local(vg_tz_get("UTC", NULL), L, &c, NULL);
        struct tm tm = {.tm_year = c.year - 1900, .tm_mon = c.month - 1,
                        .tm_mday = c.day, .tm_hour = c.hour, .tm_min = c.min,
                        .tm_isdst = -1};
        int64_t m = (int64_t)mktime(&tm);
        int ok = vg_tz_from_local(z, c.year, c.month, c.day, c.hour, c.min, 0,
                                  VG_TZ_EARLIER, &e) == VG_OK &&
                 vg_tz_from_local(z, c.year, c.month, c.day, c.hour, c.min, 0,
                                  VG_TZ_LATER, &l) == VG_OK;
        if (vg_tz_from_local(z, c.year, c.month, c.day, c.hour, c.min, 0,
                             VG_TZ_STRICT, &st) == VG_OK)
            ok = ok && st == m && e == m && l == m;
        else if (e != l) /* overlap: mktime picks one of the two */
            ok = ok && (m == e || m == l);
        if (!ok && bad++ < 3)
            vg_test_fail(__FILE__, __LINE__,
                         "%s local %04d-%02d-%02d %02d:%02d: mktime %lld, vg "
                         "%lld/%lld", tzenv, c.year, c.month, c.day, c.hour,
                         c.min, (long long)m, (long long)e, (long long)l);
    }
    if (old) {
        setenv("TZ", old, 1);
        free(old);
    } else {
        unsetenv("TZ");
    }
    tzset();
    return bad;
}

static void check_zone_hourly(const char *name)
{
    struct vg_diag d;
    const struct vg_tz *z = vg_tz_get(name, &d);
    if (z == NULL) {
        vg_test_fail(__FILE__, __LINE__, "%s: %s", name, d.msg);
        return;
    }
    CHECK_STR(vg_tz_name(z), name);
    CHECK_EQ_INT(compare_libc(z, name, utc(1970, 1, 1, 0, 0),
                              utc(2041, 1, 1, 0, 0), H), 0);
    CHECK_EQ_INT(compare_mktime(z, name, 97 * 60), 0);
    /* past the tabulated years, the footer rule is evaluated directly */
    CHECK_EQ_INT(compare_libc(z, name, utc(2090, 1, 1, 0, 0),
                              utc(2300, 1, 1, 0, 0), 7 * H + 17), 0);
}

TEST(tz_libc_europe_paris) { check_zone_hourly("Europe/Paris"); }
TEST(tz_libc_america_chicago) { check_zone_hourly("America/Chicago"); }
TEST(tz_libc_america_los_angeles) { check_zone_hourly("America/Los_Angeles"); }
TEST(tz_libc_australia_sydney) { check_zone_hourly("Australia/Sydney"); }
TEST(tz_libc_asia_kolkata) { check_zone_hourly("Asia/Kolkata"); }

/* Write a slim TZif v2 file: no transitions, one type, only the footer. */
static int write_slim(const char *path, const char *footer, int32_t off0)
{
    unsigned char h[44] = {'T', 'Z', 'i', 'f', '2'};
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    h[39] = 1; /* typecnt */
    h[43] = 4; /* charcnt */
    unsigned char type[6] = {(unsigned char)(off0 >> 24), (unsigned char)(off0 >> 16),
                             (unsigned char)(off0 >> 8), (unsigned char)off0, 0, 0};
    for (int i = 0; i < 2; i++) {
        fwrite(h, 1, sizeof h, f);
        fwrite(type, 1, sizeof type, f);
        fwrite("XXX", 1, 4, f);
    }
    fprintf(f, "\n%s\n", footer);
    return fclose(f);
}

TEST(tz_slim_file_footer_rule_matches_libc)
{
    static const char *rules[] = {"CET-1CEST,M3.5.0,M10.5.0/3",
                                  "AEST-10AEDT,M10.1.0,M4.1.0/3",
                                  "<+0330>-3:30",
                                  "NZST-12NZDT,M9.5.0,M4.1.0/3",
                                  "XXX3YYY,J60/2,300/25"};
    char dir[512], path[600], name[64];
    snprintf(dir, sizeof dir, "%s/zi", vg_test_tmpdir());
    REQUIRE(mkdir(dir, 0700) == 0 || errno == EEXIST);
    char *old = getenv("TZDIR") ? strdup(getenv("TZDIR")) : NULL;
    setenv("TZDIR", dir, 1);
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        snprintf(name, sizeof name, "Slim%zu", i);
        snprintf(path, sizeof path, "%s/%s", dir, name);
        REQUIRE(write_slim(path, rules[i], 0) == 0);
        struct vg_diag d;
        const struct vg_tz *z = vg_tz_get(name, &d);
        if (z == NULL) {
            vg_test_fail(__FILE__, __LINE__, "%s: %s", rules[i], d.msg);
            continue;
        }
        /* the table starts in 1900 for a file with no transitions */
        CHECK_EQ_INT(compare_libc(z, rules[i], utc(1970, 1, 1, 0, 0),
                                  utc(2041, 1, 1, 0, 0), 3 * H + 600), 0);
        CHECK_EQ_INT(compare_libc(z, rules[i], utc(2095, 1, 1, 0, 0),
                                  utc(2110, 1, 1, 0, 0), H), 0);
    }
    if (old) {
        setenv("TZDIR", old, 1);
        free(old);
    } else {
        unsetenv("TZDIR");
    }
}

TEST(tz_paris_gap_and_overlap)
{
    const struct vg_tz *z = vg_tz_get("Europe/Paris", NULL);
    int64_t t = 0;
    REQUIRE(z != NULL);
    /* 2018-03-25: 02:00 CET -> 03:00 CEST at 01:00Z; 02:30 does not exist
     * and becomes 03:30 CEST = 01:30Z. */
    CHECK_EQ_INT(vg_tz_offset(z, utc(2018, 3, 25, 0, 59) + 59), H);
    CHECK_EQ_INT(vg_tz_offset(z, utc(2018, 3, 25, 1, 0)), 2 * H);
    CHECK(vg_tz_from_local(z, 2018, 3, 25, 2, 30, 0, VG_TZ_EARLIER, &t) == VG_OK);
    CHECK_EQ_INT(t, utc(2018, 3, 25, 1, 30));
    CHECK(vg_tz_from_local(z, 2018, 3, 25, 2, 30, 0, VG_TZ_LATER, &t) == VG_OK);
    CHECK_EQ_INT(t, utc(2018, 3, 25, 1, 30));
    CHECK(vg_tz_from_local(z, 2018, 3, 25, 2, 30, 0, VG_TZ_STRICT, &t) == VG_RANGE);
    /* 2018-10-28: 03:00 CEST -> 02:00 CET at 01:00Z; 02:30 happens at
     * 00:30Z (CEST) and again at 01:30Z (CET). */
    CHECK(vg_tz_from_local(z, 2018, 10, 28, 2, 30, 0, VG_TZ_EARLIER, &t) == VG_OK);
    CHECK_EQ_INT(t, utc(2018, 10, 28, 0, 30));
    CHECK(vg_tz_from_local(z, 2018, 10, 28, 2, 30, 0, VG_TZ_LATER, &t) == VG_OK);
    CHECK_EQ_INT(t, utc(2018, 10, 28, 1, 30));
    CHECK(vg_tz_from_local(z, 2018, 10, 28, 2, 30, 0, VG_TZ_STRICT, &t) == VG_RANGE);
    CHECK(vg_tz_from_local(z, 2018, 10, 28, 3, 0, 0, VG_TZ_STRICT, &t) == VG_OK);
    CHECK_EQ_INT(t, utc(2018, 10, 28, 2, 0));
    /* invalid wall-clock fields */
    CHECK(vg_tz_from_local(z, 2018, 2, 29, 12, 0, 0, VG_TZ_EARLIER, &t) == VG_RANGE);
    CHECK(vg_tz_from_local(z, 2018, 1, 1, 24, 0, 0, VG_TZ_EARLIER, &t) == VG_RANGE);
    CHECK(vg_tz_from_local(z, 2018, 13, 1, 0, 0, 0, VG_TZ_EARLIER, &t) == VG_RANGE);
}

static double shift_hours(const char *zone, const char *spec, int y, int m, int d)
{
    struct vg_shift s;
    int64_t a = 0, b = 0;
    const struct vg_tz *z = vg_tz_get(zone, NULL);
    if (z == NULL || vg_shift_parse(spec, &s, NULL) != VG_OK ||
        vg_shift_window(z, &s, y, m, d, &a, &b) != VG_OK)
        return -1;
    return (double)(b - a) / 3600.0;
}

TEST(tz_shift_lengths_across_dst)
{
    CHECK_NEAR(shift_hours("Europe/Paris", "night", 2018, 10, 27), 8.5, 0);
    CHECK_NEAR(shift_hours("Europe/Paris", "night", 2018, 3, 24), 6.5, 0);
    CHECK_NEAR(shift_hours("Europe/Paris", "night", 2018, 6, 1), 7.5, 0);
    CHECK_NEAR(shift_hours("America/Chicago", "night", 2018, 11, 3), 8.5, 0);
    CHECK_NEAR(shift_hours("America/Chicago", "night", 2018, 3, 10), 6.5, 0);
    /* the spring-forward happened at 02:00, before the day shift */
    CHECK_NEAR(shift_hours("Europe/Paris", "day", 2018, 3, 25), 13, 0);
    CHECK_NEAR(shift_hours("Europe/Paris", "02:00-04:00", 2018, 3, 25), 1, 0);
    CHECK_NEAR(shift_hours("Europe/Paris", "01:00-04:00", 2018, 10, 28), 4, 0);
    CHECK_NEAR(shift_hours("Europe/Paris", "22:00-06:00", 2018, 10, 27), 9, 0);
    CHECK_NEAR(shift_hours("UTC", "00:00-24:00", 2018, 10, 27), 24, 0);
    CHECK_NEAR(shift_hours("UTC", "08:00-08:00", 2018, 10, 27), 24, 0);
    /* start of the Paris night shift of 2018-10-27: 20:00 CEST = 18:00Z */
    struct vg_shift s;
    int64_t a, b;
    REQUIRE(vg_shift_parse("night", &s, NULL) == VG_OK);
    CHECK_EQ_INT(s.start_min, 20 * 60);
    CHECK_EQ_INT(s.end_min, 3 * 60 + 30);
    REQUIRE(vg_shift_window(vg_tz_get("Europe/Paris", NULL), &s, 2018, 10, 27,
                            &a, &b) == VG_OK);
    CHECK_EQ_INT(a, utc(2018, 10, 27, 18, 0));
    CHECK_EQ_INT(b, utc(2018, 10, 28, 2, 30));
    CHECK(vg_shift_window(vg_tz_get("UTC", NULL), &s, 2018, 2, 29, &a, &b) ==
          VG_RANGE);
    /* crossing the end of a month and of a year */
    REQUIRE(vg_shift_window(vg_tz_get("UTC", NULL), &s, 2018, 12, 31, &a, &b) ==
            VG_OK);
    CHECK_EQ_INT(b, utc(2019, 1, 1, 3, 30));
}

TEST(tz_shift_parse_rejects)
{
    static const char *bad[] = {"", "nights", "Night", "7:00-20:00",
                                "07:00-20:0", "24:00-06:00", "07:60-08:00",
                                "07:00-24:30", "07:00_20:00", "07:00-20:00 ",
                                "07:00-20:00x"};
    struct vg_shift s;
    struct vg_diag d;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (vg_shift_parse(bad[i], &s, &d) != VG_PARSE)
            vg_test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
        else
            CHECK(strstr(d.msg, "HH:MM") != NULL);
    }
    CHECK(vg_shift_parse("07:15-19:45", &s, NULL) == VG_OK);
    CHECK_EQ_INT(s.start_min, 435);
    CHECK_EQ_INT(s.end_min, 1185);
}

TEST(tz_parse_date_strict)
{
    int y = 0, m = 0, d = 0;
    CHECK(vg_parse_date("2018-03-25", &y, &m, &d) == VG_OK);
    CHECK(y == 2018 && m == 3 && d == 25);
    CHECK(vg_parse_date("2020-02-29", &y, &m, &d) == VG_OK);
    CHECK(vg_parse_date("2000-02-29", &y, &m, &d) == VG_OK);
    static const char *bad[] = {"2019-02-29", "1900-02-29", "2018-04-31",
                                "2018-13-01", "2018-00-10", "2018-01-00",
                                "2018-1-01", "18-01-01", "2018/01/01",
                                "2018-01-01 ", " 2018-01-01", "2018-01-011",
                                "", "2018-01-0x", "+018-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (vg_parse_date(bad[i], &y, &m, &d) == VG_OK)
            vg_test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
    CHECK(vg_parse_date("2019-02-29", &y, &m, &d) == VG_RANGE);
    CHECK(vg_parse_date("2018/01/01", &y, &m, &d) == VG_PARSE);
    CHECK(y == 2000 && m == 2 && d == 29); /* untouched on failure */
}

TEST(tz_format_iso)
{
    char buf[40];
    vg_tz_format_iso(vg_tz_get("Europe/Paris", NULL), utc(2018, 3, 25, 18, 0),
                     buf, sizeof buf);
    CHECK_STR(buf, "2018-03-25T20:00:00+02:00");
    vg_tz_format_iso(vg_tz_get("America/Chicago", NULL),
                     utc(2018, 11, 4, 9, 30) + 7, buf, 26);
    CHECK_STR(buf, "2018-11-04T03:30:07-06:00");
    vg_tz_format_iso(vg_tz_get("Asia/Kolkata", NULL), utc(2018, 12, 31, 20, 0),
                     buf, sizeof buf);
    CHECK_STR(buf, "2019-01-01T01:30:00+05:30");
    vg_tz_format_iso(vg_tz_get("UTC", NULL), -1, buf, sizeof buf);
    CHECK_STR(buf, "1969-12-31T23:59:59+00:00");
    vg_tz_format_iso(vg_tz_get("UTC", NULL), 0, buf, 5);
    CHECK_STR(buf, "1970");
}

TEST(tz_get_names)
{
    struct vg_diag d;
    const struct vg_tz *u = vg_tz_get("UTC", &d);
    REQUIRE(u != NULL);
    CHECK_STR(vg_tz_name(u), "UTC");
    CHECK_EQ_INT(vg_tz_offset(u, 1234567890), 0);
    CHECK(vg_tz_get("Europe/Paris", NULL) == vg_tz_get("Europe/Paris", NULL));
    CHECK(vg_tz_get("Mars/Olympus_Mons", &d) == NULL);
    CHECK(d.code == VG_NOTFOUND);
    CHECK(strstr(d.msg, "Mars/Olympus_Mons") != NULL);
    CHECK(vg_tz_get("../../etc/passwd", &d) == NULL);
    CHECK(vg_tz_get("/etc/localtime", &d) == NULL);
    CHECK(vg_tz_get("Europe/../../../etc/passwd", &d) == NULL);
    CHECK(vg_tz_get("", &d) == NULL);
    /* a file that is not TZif */
    CHECK(vg_tz_get("tzdata.zi", &d) == NULL);
}

static void *get_many(void *arg)
{
    static const char *names[] = {"Europe/Berlin", "America/New_York",
                                  "Asia/Tokyo", "Europe/Berlin"};
    const struct vg_tz **out = arg;
    for (int i = 0; i < 200; i++)
        out[i % 4] = vg_tz_get(names[i % 4], NULL);
    return NULL;
}

TEST(tz_get_is_thread_safe)
{
    pthread_t th[4];
    const struct vg_tz *got[4][4];
    for (int i = 0; i < 4; i++)
        CHECK(pthread_create(&th[i], NULL, get_many, got[i]) == 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        CHECK(got[i][0] != NULL && got[i][1] != NULL && got[i][2] != NULL);
        CHECK(got[i][0] == got[0][0] && got[i][1] == got[0][1] &&
              got[i][2] == got[0][2] && got[i][3] == got[0][0]);
    }
    CHECK_EQ_INT(vg_tz_offset(got[0][2], utc(2018, 7, 1, 0, 0)), 9 * H);
}

TEST(tz_corrupt_tzif_files_are_rejected_safely)
{
    /* Truncations and corrupted header bytes of a real file must either
     * load or fail with VG_PARSE, never read out of bounds (run under ASan). */
    static unsigned char buf[1 << 16];
    FILE *f = fopen("/usr/share/zoneinfo/Europe/Paris", "rb");
    REQUIRE(f != NULL);
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    REQUIRE(len > 100);
    char dir[512], path[600], name[64];
    snprintf(dir, sizeof dir, "%s/zc", vg_test_tmpdir());
    REQUIRE(mkdir(dir, 0700) == 0 || errno == EEXIST);
    char *old = getenv("TZDIR") ? strdup(getenv("TZDIR")) : NULL;
    setenv("TZDIR", dir, 1);
    int loaded = 0, rejected = 0, other = 0;
    for (size_t cut = 0; cut < len + 88; cut += 11) {
        size_t n = cut < len ? cut : len;
        unsigned char save = 0;
        size_t pos = cut >= len ? cut - len : 0; /* corrupt a header byte */
        if (cut >= len) {
            save = buf[pos];
            buf[pos] = 0xff;
        }
        snprintf(name, sizeof name, "C%zu", cut);
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *o = fopen(path, "wb");
        REQUIRE(o != NULL);
        fwrite(buf, 1, n, o);
        fclose(o);
        if (cut >= len)
            buf[pos] = save;
        struct vg_diag d;
        const struct vg_tz *z = vg_tz_get(name, &d);
        if (z != NULL) {
            loaded++;
            (void)vg_tz_offset(z, 1500000000);
        } else if (d.code == VG_PARSE) {
            rejected++;
        } else {
            other++;
        }
    }
    CHECK(rejected > 0);
    CHECK(loaded > 0); /* the whole file, and cuts inside the footer */
    CHECK_EQ_INT(other, 0);
    if (old) {
        setenv("TZDIR", old, 1);
        free(old);
    } else {
        unsetenv("TZDIR");
    }
}

/* vg_tz_local_day agrees with the civil date of vg_tz_to_local, across the
 * Paris and Chicago DST changes and before 1970. */
TEST(tz_local_day_matches_civil_date)
{
    const char *zones[] = {"Europe/Paris", "America/Chicago", "UTC"};
    for (size_t z = 0; z < 3; z++) {
        const struct vg_tz *tz = vg_tz_get(zones[z], NULL);
        REQUIRE(tz != NULL);
        for (int64_t t = -90000LL * 3600; t < 500000LL * 3600; t += 3600 * 7 + 1234) {
            struct vg_civil c;
            vg_tz_to_local(tz, t, &c, NULL);
            CHECK_EQ_INT(vg_tz_local_day(tz, t), vg_days_from_civil(c.year, c.month, c.day));
        }
    }
}

/* The first instant of a local day (hand-worked from the Paris rules: CET
 * +01:00, CEST +02:00 from 2024-03-31 02:00) and the UTC text form. */
TEST(tz_day_start_and_utc_iso)
{
    struct vg_diag d;
    const struct vg_tz *paris = vg_tz_get("Europe/Paris", &d);
    REQUIRE(paris != NULL);
    CHECK_EQ_INT(vg_tz_day_start(paris, vg_days_from_civil(2024, 3, 1)), 1709247600);
    CHECK_EQ_INT(vg_tz_day_start(paris, vg_days_from_civil(2024, 3, 31)), 1711839600);
    CHECK_EQ_INT(vg_tz_day_start(paris, vg_days_from_civil(2024, 4, 1)), 1711922400);
    CHECK_EQ_INT(vg_tz_day_start(NULL, vg_days_from_civil(2024, 3, 1)), 1709251200);
    char out[24];
    CHECK_STR(vg_utc_iso(1711922400, out), "2024-03-31T22:00:00Z");
    CHECK_STR(vg_utc_iso(0, out), "1970-01-01T00:00:00Z");
}

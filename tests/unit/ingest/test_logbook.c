/*
 * test_logbook.c — logbook time parsing (Europe/Paris, DST gap/overlap,
 * offsets), the built-in logbook-csv profile, the JSON Lines record parser
 * and the source → scrubbing policy map.  Expected instants were computed
 * independently with Python's zoneinfo (IANA data), e.g.
 *   datetime(2024,10,27,2,30,fold=1,tzinfo=ZoneInfo("Europe/Paris")).timestamp()
 */
#include "../../test.h"

#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "ingest/logbook.h"

static enum vg_err lt(const char *s, int64_t *t, int *known, char *why)
{
    struct vg_dtfmt f;
    struct vg_diag d;
    const struct vg_tz *tz = vg_tz_get("Europe/Paris", &d);
    if (tz == NULL || vg_dtfmt_compile("iso", &f, &d) != VG_OK)
        return VG_INTERNAL;
    return vg_logbook_time(&f, tz, s, strlen(s), t, known, why, 300);
}

TEST(logbook_time_paris_winter_and_summer)
{
    int64_t t = 0;
    int k = -1;
    char why[300];
    CHECK(lt("2024-01-15T12:00:00", &t, &k, why) == VG_OK);
    CHECK_EQ_INT(t, 1705316400);
    CHECK_EQ_INT(k, 1);
    CHECK(lt("2024-07-15 12:00", &t, &k, why) == VG_OK);
    CHECK_EQ_INT(t, 1721037600);
    CHECK(lt("2024-05-02", &t, &k, why) == VG_OK); /* date alone: local midnight */
    CHECK_EQ_INT(t, 1714600800);
    CHECK_EQ_INT(k, 0);
}

TEST(logbook_time_dst_gap_is_refused)
{
    int64_t t = 0;
    int k;
    char why[300] = "";
    CHECK(lt("2024-03-31T02:30:00", &t, &k, why) == VG_RANGE);
    CHECK(strstr(why, "does not exist in Europe/Paris") != NULL);
    CHECK(strstr(why, "02:30") != NULL);
    CHECK(lt("2024-03-31T03:00:00", &t, &k, why) == VG_OK); /* first minute after the jump */
    CHECK(lt("2024-03-31T01:59:59", &t, &k, why) == VG_OK);
}

TEST(logbook_time_dst_overlap_needs_an_offset)
{
    int64_t t = 0;
    int k;
    char why[300] = "";
    CHECK(lt("2024-10-27T02:30:00", &t, &k, why) == VG_RANGE);
    CHECK(strstr(why, "ambiguous") != NULL);
    CHECK(strstr(why, "+02:00 for the first time, +01:00 for the second") != NULL);
    CHECK(lt("2024-10-27T02:30:00+02:00", &t, &k, why) == VG_OK);
    CHECK_EQ_INT(t, 1729989000);
    CHECK(lt("2024-10-27T02:30:00+01:00", &t, &k, why) == VG_OK);
    CHECK_EQ_INT(t, 1729992600);
    CHECK(lt("2024-10-27T03:30:00", &t, &k, why) == VG_OK); /* after the overlap */
}

TEST(logbook_time_offsets_and_bad_shapes)
{
    int64_t t = 0;
    int k;
    char why[300] = "";
    CHECK(lt("2024-07-01T10:00:00Z", &t, &k, why) == VG_OK);
    CHECK_EQ_INT(t, 1719828000);
    CHECK(lt("2024-07-01T12:00:00+02:00", &t, &k, why) == VG_OK);
    CHECK_EQ_INT(t, 1719828000);
    CHECK(lt("2024-07-01T10:00:00+05:00", &t, &k, why) == VG_RANGE);
    CHECK(strstr(why, "has offset +05:00, but Europe/Paris was at +02:00") != NULL);
    CHECK(lt("2024-13-01T10:00", &t, &k, why) == VG_PARSE);
    CHECK(lt("2023-02-29", &t, &k, why) == VG_PARSE);
    CHECK(lt("12/03/2024 10:00", &t, &k, why) == VG_PARSE);
    CHECK(strstr(why, "format iso") != NULL);
}

TEST(logbook_builtin_profile)
{
    struct vg_profile *p = NULL;
    struct vg_diag d;
    REQUIRE(vg_profile_load("profiles", "logbook-csv", &p, &d) == VG_OK);
    CHECK(p->kind == VG_PROFILE_LOGBOOK);
    CHECK_STR(p->tz, "Europe/Paris");
    static const char *const want[][2] = {
        {"id", "id"}, {"reported", "reported_at"}, {"start", "occurred_from"},
        {"end", "occurred_to"}, {"source", "source"}, {"origin", "origin"},
        {"place", "place"}, {"lon", "lon"}, {"lat", "lat"}, {"category", "category"},
        {"text", "text"}};
    const int cols[] = {VG_COL_ID, VG_COL_REPORTED, VG_COL_START, VG_COL_END, VG_COL_SOURCE,
                        VG_COL_ORIGIN, VG_COL_PLACE, VG_COL_LON, VG_COL_LAT, VG_COL_CATEGORY,
                        VG_COL_TEXT};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
        CHECK_STR(p->col_name[cols[i]], want[i][1]);
    CHECK(p->fixed_source == VG_SRC_LOGBOOK);
    /* a logbook profile may have neither category nor coordinates */
    static const char minimal[] = "[format]\nkind = logbook\n[time]\ntimezone = Europe/Paris\n"
                                  "[columns]\nstart = quand\nplace = lieu\ntext = texte\n";
    struct vg_profile *m = NULL;
    CHECK(vg_profile_parse("m", minimal, sizeof minimal - 1, &m, &d) == VG_OK);
    vg_profile_free(m);
    vg_profile_free(p);
}

TEST(logbook_jsonl_fields)
{
    struct vg_profile *p = NULL;
    struct vg_diag d;
    REQUIRE(vg_profile_load("profiles", "logbook-csv", &p, &d) == VG_OK);
    struct vg_logbook_fields f;
    vg_buf_init(&f.mem, 0);
    const char *ok = "{\"id\":\"A1\",\"occurred_from\":\"2024-05-02T10:00\",\"lon\":-0.25,"
                     "\"lat\":44,\"category\":null,\"text\":\"Vol \\u00e0 l'arrach\\u00e9\","
                     "\"unknown\":[1,2]}";
    REQUIRE(vg_logbook_jsonl_fields(p, ok, strlen(ok), &f, &d) == VG_OK);
    CHECK(vg_str_eq(f.f[VG_COL_ID], "A1"));
    CHECK(vg_str_eq(f.f[VG_COL_START], "2024-05-02T10:00"));
    CHECK(vg_str_eq(f.f[VG_COL_LON], "-0.25"));
    CHECK(vg_str_eq(f.f[VG_COL_LAT], "44"));
    CHECK_EQ_INT(f.f[VG_COL_CATEGORY].len, 0); /* null = absent */
    CHECK_EQ_INT(f.f[VG_COL_PLACE].len, 0);    /* missing = absent */
    CHECK(vg_str_eq(f.f[VG_COL_TEXT], "Vol \xc3\xa0 l'arrach\xc3\xa9"));
    const char *arr = "{\"id\":\"A1\",\"text\":[\"Mme Secret\"]}";
    CHECK(vg_logbook_jsonl_fields(p, arr, strlen(arr), &f, &d) == VG_PARSE);
    CHECK(strstr(d.msg, "\"text\" is an array") != NULL);
    const char *bad = "{\"text\":\"M. Secretname 06 12 34 56 78\" oops}";
    CHECK(vg_logbook_jsonl_fields(p, bad, strlen(bad), &f, &d) == VG_PARSE);
    CHECK(strstr(d.msg, "Secretname") == NULL); /* the input is never quoted */
    CHECK(strstr(d.msg, "not valid JSON") != NULL);
    CHECK(vg_logbook_jsonl_fields(p, "[1]", 3, &f, &d) == VG_PARSE);
    CHECK(vg_logbook_jsonl_fields(p, "{\"id\":1,\"id\":2}", 15, &f, &d) == VG_PARSE);
    vg_buf_free(&f.mem);
    vg_profile_free(p);
}

TEST(logbook_scrub_source_policy)
{
    CHECK(vg_logbook_scrub_source(VG_SRC_PARTNER_HEALTH) == VG_SCRUB_SRC_PARTNER_HEALTH);
    CHECK(vg_logbook_scrub_source(VG_SRC_PARTNER_SOCIAL) == VG_SCRUB_SRC_PARTNER_SOCIAL);
    CHECK(vg_logbook_scrub_source(VG_SRC_PARTNER_LANDLORD) == VG_SCRUB_SRC_PARTNER_HOUSING);
    CHECK(vg_logbook_scrub_source(VG_SRC_LOGBOOK) == VG_SCRUB_SRC_POLICE);
    CHECK(vg_logbook_scrub_source(VG_SRC_CAMERA) == VG_SCRUB_SRC_POLICE);
}

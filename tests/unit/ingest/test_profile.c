#include "../../test.h"

#include <stdio.h>

#include "base/buf.h"
#include "ingest/profile.h"
#include "ingest/taxonomy.h"

static const char good[] =
    "# comment\n"
    "[format]\nkind = incidents\ndelimiter = ;\ndecimal = ,\nencoding = latin1\n"
    "[time]\ntimezone = Europe/Paris\nformat = fr   # inline comment\nz_is_local = yes\n"
    "[columns]\nstart = Date\ncategory = Type\nlon = X\nlat = Y\nid = #1\n"
    "[record]\nsource = partner:landlord\norigin = discovered\n"
    "[crosswalk]\nA = B = vol_violent\nTAPAGE = troubles_tranquillite\n* = autre\n";

TEST(profile_parses_every_section)
{
    struct vg_profile *p = NULL;
    struct vg_diag d;
    REQUIRE(vg_profile_parse("t.profile", good, sizeof good - 1, &p, &d) == VG_OK);
    CHECK(p->delim == ';' && p->decimal == ',' && p->latin1 == 1 && p->z_is_local == 1);
    CHECK_STR(p->tz, "Europe/Paris");
    CHECK_STR(p->col_name[VG_COL_START], "Date");
    CHECK(p->fixed_source == VG_SRC_PARTNER_LANDLORD);
    CHECK(p->fixed_origin == VG_ORIGIN_DISCOVERED);
    CHECK_EQ_INT(p->ncrosswalk, 3);
    /* labels split at the last '=' */
    CHECK_STR(vg_profile_map(p->crosswalk, p->ncrosswalk, "A = B", 5), "vol_violent");
    CHECK_STR(vg_profile_map(p->crosswalk, p->ncrosswalk, "tapage", 6), "troubles_tranquillite");
    CHECK_STR(vg_profile_map(p->crosswalk, p->ncrosswalk, "whatever", 8), "autre");
    struct vg_str hdr[4] = {VG_STR("Id"), VG_STR("date"), VG_STR("Type"), VG_STR("X")};
    CHECK(vg_profile_bind(p, hdr, 4, "f.csv", &d) == VG_PARSE); /* Y missing */
    CHECK(strstr(d.msg, "\"Y\" (lat) is not in the header") != NULL);
    vg_profile_free(p);
}

static void expect_error(const char *text, size_t line, const char *needle)
{
    struct vg_profile *p = NULL;
    struct vg_diag d;
    vg_diag_clear(&d);
    enum vg_err e = vg_profile_parse("bad.profile", text, strlen(text), &p, &d);
    CHECK(e != VG_OK);
    CHECK(p == NULL);
    CHECK_EQ_INT(d.line, line);
    if (strstr(d.msg, needle) == NULL)
        vg_test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", d.msg, needle);
}

TEST(profile_errors_name_line_and_value)
{
    expect_error("[format]\ndelimiter = ;;\n", 2, "delimiter \";;\"");
    expect_error("[nope]\n", 1, "unknown section [nope]");
    expect_error("kind = incidents\n", 1, "before any [section]");
    expect_error("[time]\nformat = %Y-%q\n", 2, "date format \"%Y-%q\"");
    expect_error("[record]\nsource = martians\n", 2, "source \"martians\"");
    expect_error("[coordinates]\nbbox = 1,2,3\n", 2, "bbox \"1,2,3\"");
    expect_error("[columns]\nwho = x\n", 2, "unknown column role \"who\"");
    expect_error("[format]\nkind = incidents\n[time]\ntimezone = UTC\n", 0, "start =");
}

TEST(taxonomy_default_file_loads)
{
    struct vg_taxonomy t;
    struct vg_diag d;
    REQUIRE(vg_taxonomy_load("config/taxonomy.tsv", &t, &d) == VG_OK);
    CHECK(t.n >= 14);
    int32_t cb = vg_taxonomy_find(&t, "coups_blessures", 15);
    CHECK(cb >= 0);
    int32_t sel[32];
    size_t n;
    CHECK(vg_taxonomy_select(&t, "group:persons", sel, 32, &n, &d) == VG_OK && n >= 4);
    CHECK(vg_taxonomy_select(&t, "coups_blessures,nope", sel, 32, &n, &d) == VG_USAGE);
    CHECK(strstr(d.msg, "\"nope\"") != NULL);
    int32_t su = vg_taxonomy_find(&t, "usage_stupefiants", 17);
    CHECK(su >= 0 && t.cat[su].police_activity == 1);
    vg_taxonomy_free(&t);
}

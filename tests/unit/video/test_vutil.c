/* Unit tests of vutil.c: UTC time text (reference values from
 * `date -u -d ... +%s`), hex, SHA-256 (FIPS 180-2 "abc" vector),
 * durable writes. */
#include "../../test.h"

#include <stdio.h>

#include "video/vutil.h"

TEST(vutil_parse_time)
{
    int64_t ms;
    struct vg_diag d;
    CHECK(vg_vutil_parse_time("2026-11-28T10:00:00Z", "t", &ms, &d) == VG_OK);
    CHECK_EQ_INT(ms, 1795860000LL * 1000);
    CHECK(vg_vutil_parse_time("2000-02-29 23:59:59.25", "t", &ms, &d) == VG_OK);
    CHECK_EQ_INT(ms, 951868799LL * 1000 + 250);
    CHECK(vg_vutil_parse_time("1795860000", "t", &ms, &d) == VG_OK);
    CHECK_EQ_INT(ms, 1795860000LL * 1000);
    CHECK(vg_vutil_parse_time("2026-11-28", "t", &ms, &d) == VG_OK);
    CHECK_EQ_INT(ms, (1795860000LL - 36000) * 1000);
    CHECK(vg_vutil_parse_time("2026-13-01", "t", &ms, &d) == VG_PARSE);
    CHECK(vg_vutil_parse_time("28/11/2026", "t", &ms, &d) == VG_PARSE);
    CHECK(vg_vutil_parse_time("2026-11-28T10:00:00+02:00", "t", &ms, &d) ==
          VG_PARSE);
    char t[32];
    vg_vutil_fmt_time(951868799LL * 1000 + 250, t, sizeof t);
    CHECK_STR(t, "2000-02-29T23:59:59.250Z");
}

TEST(vutil_sha256_and_hex)
{
    char path[512], hex[65];
    int64_t size = 0;
    snprintf(path, sizeof path, "%s/vutil-abc", vg_test_tmpdir());
    REQUIRE(vg_vutil_write_atomic(path, "abc", 3, 0600, NULL) == VG_OK);
    REQUIRE(vg_vutil_sha256_file(path, hex, &size, NULL) == VG_OK);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_EQ_INT(size, 3);
    uint8_t b[4];
    CHECK(vg_vutil_unhex("00ff10Ab", b, 4) == VG_OK);
    CHECK(b[1] == 0xff && b[3] == 0xab);
    CHECK(vg_vutil_unhex("00fg10ab", b, 4) == VG_PARSE);
    CHECK(vg_vutil_safe_name("cam_01.gare"));
    CHECK(!vg_vutil_safe_name("../x"));
    CHECK(!vg_vutil_safe_name("a/b"));
    CHECK(!vg_vutil_safe_name(""));
}

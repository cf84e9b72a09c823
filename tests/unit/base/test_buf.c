#include "../../test.h"

#include "base/alloc.h"
#include "base/buf.h"

TEST(buf_json_escapes)
{
    struct vg_buf b;
    vg_buf_init(&b, 0);
    CHECK(vg_buf_json_str(&b, "a\"b\\c\n\x01", 7) == VG_OK);
    CHECK_STR(b.p, "\"a\\\"b\\\\c\\n\\u0001\"");
    vg_buf_reset(&b);
    CHECK(vg_buf_json_num(&b, 0.1) == VG_OK);
    CHECK_STR(b.p, "0.1");
    vg_buf_reset(&b);
    CHECK(vg_buf_json_num(&b, 1.0 / 0.0) == VG_OK);
    CHECK_STR(b.p, "null");
    vg_buf_free(&b);
}

TEST(buf_limit_is_enforced)
{
    struct vg_buf b;
    vg_buf_init(&b, 8);
    CHECK(vg_buf_adds(&b, "12345678") == VG_OK);
    CHECK(vg_buf_addc(&b, '9') == VG_LIMIT);
    CHECK_EQ_INT(b.len, 8);
    vg_buf_free(&b);
}

TEST(buf_allocation_failure_is_reported)
{
    struct vg_buf b;
    vg_buf_init(&b, 0);
    vg_alloc_fail_after(0);
    enum vg_err e = vg_buf_adds(&b, "x");
    vg_alloc_fail_after((size_t)-1);
    CHECK(e == VG_NOMEM);
    CHECK(b.p == NULL);
    vg_buf_free(&b);
}

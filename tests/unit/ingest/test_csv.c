#include "../../test.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "ingest/csv.h"

static int field_is(const struct vg_csv_row *r, size_t i, const char *s)
{
    return i < r->nfields && vg_str_eq(r->field[i], s);
}

TEST(csv_quotes_crlf_bom)
{
    const char in[] = "\xEF\xBB\xBF" "a;b;c\r\n1;\"x;y\";\"he said \"\"hi\"\"\"\r\n"
                      "2;\"multi\nline\";\r\n3;;last";
    struct vg_csv_opts o = {';', '"', 0};
    struct vg_csv *c = NULL;
    struct vg_diag d;
    REQUIRE(vg_csv_open_mem("t.csv", in, sizeof in - 1, &o, &c, &d) == VG_OK);
    CHECK(vg_csv_had_bom(c));
    struct vg_csv_row row;
    int eof = 0;
    REQUIRE(vg_csv_next(c, &row, &eof, &d) == VG_OK && !eof);
    CHECK(row.nfields == 3 && field_is(&row, 0, "a") && field_is(&row, 2, "c"));
    REQUIRE(vg_csv_next(c, &row, &eof, &d) == VG_OK && !eof);
    CHECK_EQ_INT(row.line, 2);
    CHECK(field_is(&row, 1, "x;y"));
    CHECK(field_is(&row, 2, "he said \"hi\""));
    REQUIRE(vg_csv_next(c, &row, &eof, &d) == VG_OK && !eof);
    CHECK_EQ_INT(row.line, 3);
    CHECK_EQ_INT(row.nfields, 3);
    CHECK(field_is(&row, 1, "multi\nline"));
    CHECK(field_is(&row, 2, ""));
    REQUIRE(vg_csv_next(c, &row, &eof, &d) == VG_OK && !eof);
    CHECK_EQ_INT(row.line, 5); /* the embedded newline counted */
    CHECK(field_is(&row, 2, "last"));
    REQUIRE(vg_csv_next(c, &row, &eof, &d) == VG_OK);
    CHECK(eof);
    vg_csv_close(c);
}

TEST(csv_unclosed_quote_is_an_error)
{
    const char in[] = "a,b\n1,\"open\n";
    struct vg_csv *c = NULL;
    struct vg_diag d;
    REQUIRE(vg_csv_open_mem("t.csv", in, sizeof in - 1, NULL, &c, &d) == VG_OK);
    struct vg_csv_row row;
    int eof = 0;
    CHECK(vg_csv_next(c, &row, &eof, &d) == VG_OK);
    CHECK(vg_csv_next(c, &row, &eof, &d) == VG_PARSE);
    CHECK_EQ_INT(d.line, 2);
    vg_csv_close(c);
}

/* A file larger than the reader's chunk, with records straddling chunk
 * boundaries: every row comes back intact and in order. */
TEST(csv_streams_across_chunks)
{
    char path[512];
    snprintf(path, sizeof path, "%s/big.csv", vg_test_tmpdir());
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL);
    const int rows = 300000;
    fprintf(f, "n,text\n");
    for (int i = 0; i < rows; i++)
        fprintf(f, "%d,\"row %d, with \"\"quote\"\"\"\n", i, i);
    fclose(f);
    struct vg_csv *c = NULL;
    struct vg_diag d;
    REQUIRE(vg_csv_open(path, NULL, &c, &d) == VG_OK);
    struct vg_csv_row row;
    int eof = 0, bad = 0;
    REQUIRE(vg_csv_next(c, &row, &eof, &d) == VG_OK);
    for (int i = 0; i < rows; i++) {
        if (vg_csv_next(c, &row, &eof, &d) != VG_OK || eof || row.nfields != 2) {
            bad++;
            break;
        }
        char want[64];
        int n = snprintf(want, sizeof want, "row %d, with \"quote\"", i);
        if (strtol(row.field[0].p, NULL, 10) != i || row.field[1].len != (size_t)n ||
            memcmp(row.field[1].p, want, (size_t)n) != 0 || row.line != (size_t)i + 2)
            bad++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(vg_csv_next(c, &row, &eof, &d) == VG_OK && eof);
    vg_csv_close(c);
}

TEST(csv_oversized_record_is_skipped_not_fatal)
{
    struct vg_buf b;
    vg_buf_init(&b, 0);
    vg_buf_adds(&b, "a\nshort\n");
    for (int i = 0; i < 2000; i++)
        vg_buf_adds(&b, "xxxxxxxxxx");
    vg_buf_adds(&b, "\nafter\n");
    struct vg_csv_opts o = {',', '"', 1000};
    struct vg_csv *c = NULL;
    struct vg_diag d;
    REQUIRE(vg_csv_open_mem("t.csv", b.p, b.len, &o, &c, &d) == VG_OK);
    struct vg_csv_row row;
    int eof;
    CHECK(vg_csv_next(c, &row, &eof, &d) == VG_OK);
    CHECK(vg_csv_next(c, &row, &eof, &d) == VG_OK && field_is(&row, 0, "short"));
    CHECK(vg_csv_next(c, &row, &eof, &d) == VG_LIMIT);
    CHECK_EQ_INT(d.line, 3);
    CHECK(vg_csv_next(c, &row, &eof, &d) == VG_OK && field_is(&row, 0, "after"));
    vg_csv_close(c);
    vg_buf_free(&b);
}

/*
 * test_logbook_one.c — vg_logbook_put_one, the path of the web form: one
 * entry through the import's scrub/validate/place/store code, into a real
 * SQLite store.  Independent checks: the bytes of the store file (the
 * planted name and phone number must be absent, the scrubbed text
 * present), refusals naming the column, and the duplicate rule.
 */
#include "../../test.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "ingest/logbook.h"
#include "store/store.h"

static int file_has(const char *path, const char *needle)
{
    struct vg_buf b;
    struct vg_diag d;
    vg_buf_init(&b, 0);
    int found = 0;
    if (vg_buf_read_file(&b, path, &d) == VG_OK)
        for (size_t n = strlen(needle), i = 0; !found && i + n <= b.len; i++)
            found = memcmp(b.p + i, needle, n) == 0;
    vg_buf_free(&b);
    return found;
}

static void fields(struct vg_str *in, const char *from, const char *place, const char *text)
{
    for (int i = 0; i < VG_COL__COUNT; i++)
        in[i] = (struct vg_str){"", 0};
    in[VG_COL_ID] = vg_str_of("web-1");
    in[VG_COL_START] = vg_str_of(from);
    in[VG_COL_SOURCE] = vg_str_of("logbook");
    in[VG_COL_PLACE] = vg_str_of(place);
    in[VG_COL_CATEGORY] = vg_str_of("troubles_tranquillite");
    in[VG_COL_TEXT] = vg_str_of(text);
}

TEST(logbook_put_one_scrubs_refuses_and_dedups)
{
    struct vg_diag d;
    struct vg_store *s = NULL;
    struct vg_profile *p = NULL;
    struct vg_gazetteer *g = NULL;
    struct vg_taxonomy tax;
    char db[600];
    snprintf(db, sizeof db, "%s/put_one.db", vg_test_tmpdir());
    remove(db);
    static const char gz[] = "name,kind,lon,lat\nPlace Abel Surchamp,place,-0.24360,44.91530\n";
    REQUIRE(vg_store_open(db, 1, &s, &d) == VG_OK);
    REQUIRE(vg_profile_load("profiles", "logbook-csv", &p, &d) == VG_OK);
    REQUIRE(vg_store_taxonomy(s, "config/taxonomy.tsv", &tax, &d) == VG_OK);
    REQUIRE(vg_gazetteer_parse(gz, sizeof gz - 1, "test", &g, &d) == VG_OK);
    struct vg_logbook_opts o = {s, p, &tax, NULL, g, NULL, 0, NULL, 0, NULL};
    struct vg_logbook_one w;
    memset(&w, 0, sizeof w);
    vg_buf_init(&w.text, 0);
    struct vg_str in[VG_COL__COUNT];
    REQUIRE(vg_store_begin(s, &d) == VG_OK);
    fields(in, "2026-11-20T22:15", "Place Abel Surchamp",
           "Appel de M. Zwemmerbachsky au 06 47 58 69 21, tapage");
    enum vg_err e = vg_logbook_put_one(&o, "web form (t)", in, &w, &d);
    if (e)
        fprintf(stderr, "    put_one: %s\n", d.msg);
    CHECK(e == VG_OK);
    CHECK(w.imported && !w.rejected);
    CHECK_STR(w.category, "troubles_tranquillite");
    vg_buf_addc(&w.text, '\0');
    CHECK(strstr(w.text.p, "[NOM]") && strstr(w.text.p, "[TEL]"));
    CHECK(!strstr(w.text.p, "Zwemmer") && !strstr(w.text.p, "58 69"));
    /* the spring-forward gap of 29 March 2026 in Paris */
    in[VG_COL_ID] = vg_str_of("web-2");
    in[VG_COL_START] = vg_str_of("2026-03-29T02:30");
    CHECK(vg_logbook_put_one(&o, "web form (t)", in, &w, &d) == VG_OK);
    CHECK(w.rejected && !w.imported);
    CHECK_STR(w.field, "occurred_from");
    CHECK(strstr(w.why, "does not exist") != NULL);
    /* a place the gazetteer does not know */
    in[VG_COL_START] = vg_str_of("2026-03-29T12:30");
    in[VG_COL_PLACE] = vg_str_of("Quai Nulle-Part");
    CHECK(vg_logbook_put_one(&o, "web form (t)", in, &w, &d) == VG_OK);
    CHECK(w.rejected);
    CHECK_STR(w.field, "place");
    /* the same entry number again: a duplicate, refused on the id */
    fields(in, "2026-11-20T22:15", "Place Abel Surchamp", "autre texte");
    CHECK(vg_logbook_put_one(&o, "web form (t)", in, &w, &d) == VG_OK);
    CHECK(w.rejected && !w.imported);
    CHECK_STR(w.field, "id");
    CHECK(vg_store_commit(s, &d) == VG_OK);
    vg_store_close(s);
    CHECK(!file_has(db, "Zwemmerbachsky"));
    CHECK(!file_has(db, "06 47 58 69 21"));
    CHECK(file_has(db, "[NOM] au [TEL], tapage"));
    vg_buf_free(&w.text);
    vg_gazetteer_free(g);
    vg_taxonomy_free(&tax);
    vg_profile_free(p);
}

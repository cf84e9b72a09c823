/*
 * test_gazetteer.c — keys, edit distance (hand-computed values), CSV
 * errors, exact / abbreviated / misspelt / unknown lookups on the
 * hand-made Libourne gazetteer (data/gazetteer-libourne.csv).
 */
#include <string.h>

#include "../../test.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "ingest/gazetteer.h"

static const char *key(const char *s, int keep)
{
    static struct vg_buf b;
    vg_buf_free(&b);
    vg_buf_init(&b, 0);
    if (vg_gazetteer_key(s, strlen(s), keep, &b) != VG_OK)
        return "(error)";
    return b.p;
}

TEST(gazetteer_keys)
{
    CHECK_STR(key("12 bis, R. Gambetta 33500 Libourne", 0), "rue gambetta");
    CHECK_STR(key("12 rue Gambetta", 1), "12 rue gambetta");
    CHECK_STR(key("Av. de l'Épinette", 0), "avenue epinette");
    CHECK_STR(key("bd du Gal de Gaulle", 0), "boulevard general gaulle");
    CHECK_STR(key("Pl. Abel-Surchamp", 0), "place abel surchamp");
    CHECK_STR(key("Rte de St-Émilion", 0), "route saint emilion");
    CHECK_STR(key("...", 0), "");
}

TEST(gazetteer_distance)
{
    /* kitten → sitting = 3 (classic), flaw → lawn = 2, "" → abc = 3 */
    CHECK_EQ_INT(vg_gazetteer_distance("kitten", 6, "sitting", 7, 10), 3);
    CHECK_EQ_INT(vg_gazetteer_distance("flaw", 4, "lawn", 4, 10), 2);
    CHECK_EQ_INT(vg_gazetteer_distance("", 0, "abc", 3, 10), 3);
    CHECK_EQ_INT(vg_gazetteer_distance("gambetta", 8, "gambetta", 8, 0), 0);
    /* bounded: over the bound reports bound + 1 */
    CHECK_EQ_INT(vg_gazetteer_distance("kitten", 6, "sitting", 7, 2), 3);
    CHECK_EQ_INT(vg_gazetteer_distance("a", 1, "abcdef", 6, 2), 3);
}

static struct vg_gazetteer *libourne(void)
{
    static struct vg_gazetteer *g;
    struct vg_diag d;
    if (g == NULL && vg_gazetteer_load("data/gazetteer-libourne.csv", &g, &d) != VG_OK)
        fprintf(stderr, "    %s:%zu: %s\n", d.file, d.line, d.msg);
    return g;
}

TEST(gazetteer_lookup)
{
    struct vg_gazetteer *g = libourne();
    struct vg_gaz_match m;
    struct vg_diag d;
    REQUIRE(g != NULL);
    CHECK(vg_gazetteer_count(g) >= 40);
    const char *q = "place Abel Surchamp";
    REQUIRE(vg_gazetteer_lookup(g, q, strlen(q), &m, &d) == VG_OK);
    CHECK_STR(m.name, "Place Abel Surchamp");
    CHECK_NEAR(m.score, 1.0, 1e-12);
    CHECK_NEAR(m.lon, -0.2436, 1e-9);
    CHECK_NEAR(m.lat, 44.9153, 1e-9);
    /* abbreviations + house number not in the gazetteer → the street */
    q = "12 bis r. gambetta";
    REQUIRE(vg_gazetteer_lookup(g, q, strlen(q), &m, &d) == VG_OK);
    CHECK_STR(m.name, "Rue Gambetta");
    CHECK_EQ_INT(m.kind, VG_GAZ_STREET);
    /* an address that is in the gazetteer */
    q = "14, rue Montesquieu";
    REQUIRE(vg_gazetteer_lookup(g, q, strlen(q), &m, &d) == VG_OK);
    CHECK_STR(m.name, "14 rue Montesquieu");
    CHECK_EQ_INT(m.kind, VG_GAZ_ADDRESS);
    /* misspelling: "gambeta" is 1 edit from "gambetta" → "rue gambeta" key
     * distance 1, score 1 - 1/12 */
    q = "Rue Gambeta";
    REQUIRE(vg_gazetteer_lookup(g, q, strlen(q), &m, &d) == VG_OK);
    CHECK_STR(m.name, "Rue Gambetta");
    CHECK_EQ_INT(m.distance, 1);
    CHECK_NEAR(m.score, 1.0 - 1.0 / 12.0, 1e-12);
    /* without the street type: core match at 0.9 */
    q = "Salinieres";
    REQUIRE(vg_gazetteer_lookup(g, q, strlen(q), &m, &d) == VG_OK);
    CHECK_STR(m.name, "Quai des Salinières");
    CHECK_NEAR(m.score, 0.9, 1e-12);
    q = "Av. Clemenceau"; /* missing first name: 7 edits → unknown */
    CHECK_EQ_INT(vg_gazetteer_lookup(g, q, strlen(q), &m, &d), VG_NOTFOUND);
    CHECK(strstr(d.msg, "Avenue Georges Clemenceau") != NULL);
    q = "rue des Martyrs de la Résistance";
    CHECK_EQ_INT(vg_gazetteer_lookup(g, q, strlen(q), &m, &d), VG_NOTFOUND);
    CHECK(strstr(d.msg, "closest:") != NULL);
    CHECK_EQ_INT(vg_gazetteer_lookup(g, "--", 2, &m, &d), VG_NOTFOUND);
}

TEST(gazetteer_csv_errors)
{
    struct vg_gazetteer *g = NULL;
    struct vg_diag d;
    const char *bad[] = {
        "nom,kind,lon,lat\n",                          /* header */
        "name,kind,lon,lat\nRue A,road,0,45\n",        /* kind */
        "name,kind,lon,lat\nRue A,street,-0.2,91\n",   /* latitude */
        "name,kind,lon,lat\nRue A,street,0\n",         /* fields */
        "name,kind,lon,lat\n\"Rue A,street,0,45\n",    /* quote */
        "", NULL};
    const size_t col[] = {1, 2, 4, 0, 0, 1};
    for (size_t k = 0; bad[k]; k++) {
        CHECK_EQ_INT(vg_gazetteer_parse(bad[k], strlen(bad[k]), "g.csv", &g, &d), VG_PARSE);
        CHECK(g == NULL);
        CHECK_EQ_INT(d.col, col[k]);
    }
    const char ok[] = "name,kind,lon,lat\r\n\"Place \"\"X\"\", Y\",place,1.5,2.5\r\n";
    REQUIRE(vg_gazetteer_parse(ok, sizeof ok - 1, "g.csv", &g, &d) == VG_OK);
    struct vg_gaz_match m;
    REQUIRE(vg_gazetteer_lookup(g, "place x y", 9, &m, &d) == VG_OK);
    CHECK_STR(m.name, "Place \"X\", Y");
    vg_gazetteer_free(g);
}

TEST(gazetteer_alloc_failures)
{
    const char csv[] = "name,kind,lon,lat\nRue Gambetta,street,-0.2429,44.916\n"
                       "Place Decazes,place,-0.2455,44.9171\n";
    int ok_seen = 0;
    for (size_t n = 0; n < 100 && !ok_seen; n++) {
        struct vg_gazetteer *g = NULL;
        struct vg_gaz_match m;
        struct vg_diag d;
        vg_alloc_fail_after(n);
        enum vg_err e = vg_gazetteer_parse(csv, sizeof csv - 1, "g", &g, &d);
        if (e == VG_OK)
            e = vg_gazetteer_lookup(g, "r. gambeta", 10, &m, &d);
        vg_alloc_fail_after((size_t)-1);
        CHECK(e == VG_OK || e == VG_NOMEM);
        if (e == VG_OK) {
            ok_seen = 1;
            CHECK_STR(m.name, "Rue Gambetta");
        }
        vg_gazetteer_free(g);
    }
    CHECK(ok_seen);
}

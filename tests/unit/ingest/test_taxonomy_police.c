/*
 * test_taxonomy_police.c — the police-activity flag, its reason column and
 * the briefing's exclusion rule.
 */
#include <stdio.h>
#include <string.h>

#include "ingest/taxonomy.h"
#include "report/briefing.h"
#include "../../test.h"

TEST(taxonomy_police_reason_column)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tax_police.tsv", vg_test_tmpdir());
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs("# comment\n"
          "a\tA\tA\tpersons\t0\n"
          "drugs\tD\tD\tpublic_order\t1\tfound on stops, not reported\n"
          "drunk\tI\tI\tpublic_order\t1\n", f);
    fclose(f);
    struct vg_taxonomy t;
    struct vg_diag d;
    const char *why = "x";
    REQUIRE(vg_taxonomy_load(path, &t, &d) == VG_OK);
    CHECK_EQ_INT(t.n, 3);
    CHECK(vg_taxonomy_police_activity(&t, 0, &why) == 0 && why == NULL);
    CHECK(vg_taxonomy_police_activity(&t, 1, &why) == 1);
    CHECK_STR(why, "found on stops, not reported");
    CHECK(vg_taxonomy_police_activity(&t, 2, &why) == 1);
    CHECK_STR(why, VG_TAXONOMY_POLICE_REASON);
    CHECK(vg_taxonomy_police_activity(&t, 3, &why) == 0 && why == NULL);
    CHECK(vg_taxonomy_police_activity(&t, -1, NULL) == 0);
    CHECK(vg_briefing_excluded(&t, 1, &why) == 1);
    CHECK_STR(why, "found on stops, not reported");
    CHECK(vg_briefing_excluded(&t, 0, NULL) == 0);
    vg_taxonomy_free(&t);
}

TEST(taxonomy_police_default_file)
{
    struct vg_taxonomy t;
    struct vg_diag d;
    const char *why;
    REQUIRE(vg_taxonomy_load("config/taxonomy.tsv", &t, &d) == VG_OK);
    const char *yes[] = {"usage_stupefiants", "trafic_stupefiants", "ivresse_publique", "port_arme"};
    for (size_t i = 0; i < 4; i++) {
        int32_t c = vg_taxonomy_find(&t, yes[i], strlen(yes[i]));
        CHECK(c >= 0 && vg_briefing_excluded(&t, c, &why) == 1);
        CHECK(c >= 0 && strlen(why) > 20 && strcmp(why, VG_TAXONOMY_POLICE_REASON) != 0);
    }
    int32_t cb = vg_taxonomy_find(&t, "coups_blessures", 15);
    CHECK(vg_briefing_excluded(&t, cb, &why) == 0);
    vg_taxonomy_free(&t);
}

/*
 * test_publish_stats.c — cell suppression checked by an independent attack:
 * tests/unit/audit/lp_attack.py computes every suppressed cell's feasible
 * interval with scipy's LP solver.  The attack must fail on our output and
 * succeed on a deliberately under-suppressed table (so the check can fail).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "../../test.h"
#include "report/publish_stats.h"

static int attack(const int64_t *x, const unsigned char *st, size_t R, size_t C,
                  int64_t thr, int64_t prot, const char *expect)
{
    char path[300], cmd[700];
    snprintf(path, sizeof path, "%s/lp_%s_%zux%zu.txt", vg_test_tmpdir(), expect, R, C);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "%zu %zu %lld %lld\n", R, C, (long long)thr, (long long)prot);
    for (size_t k = 0; k < R * C; k++)
        fprintf(f, "%lld%c", (long long)x[k], (k + 1) % C ? ' ' : '\n');
    for (size_t k = 0; k < R * C; k++)
        fprintf(f, "%d%c", st[k], (k + 1) % C ? ' ' : '\n');
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 tests/unit/audit/lp_attack.py %s --expect %s "
             ">%s.out 2>&1", path, expect, path);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Hand-worked: one sensitive cell (2) in a 3x3 table. */
TEST(publish_stats_hand_example)
{
    const int64_t x[9] = {2, 9, 14,
                          8, 12, 7,
                          10, 6, 11};
    unsigned char st[9];
    struct vg_pubstats_summary s;
    struct vg_diag d;
    REQUIRE(vg_pubstats_suppress(x, 3, 3, NULL, st, &s, &d) == VG_OK);
    CHECK_EQ_INT(st[0], VG_PUBSTATS_PRIMARY);
    CHECK_EQ_INT(s.primary, 1);
    /* Row 0's smallest other cell is 9 (0,1) and column 0's is 8 (1,0);
     * then row 1 and column 1 need a second: (1,1) = 12 closes the
     * rectangle, the interval of (0,0) is [0, 2 + min(9, 8)] = [0, 10]. */
    CHECK_EQ_INT(st[1], VG_PUBSTATS_COMPLEMENT);
    CHECK_EQ_INT(st[3], VG_PUBSTATS_COMPLEMENT);
    CHECK_EQ_INT(st[4], VG_PUBSTATS_COMPLEMENT);
    CHECK_EQ_INT(s.complement, 3);
    CHECK_EQ_INT(s.weak, 0);
    int64_t lo, hi;
    CHECK(vg_pubstats_interval(x, st, 3, 3, 0, 0, &lo, &hi) == VG_OK);
    CHECK_EQ_INT(lo, 0);
    CHECK_EQ_INT(hi, 10);
    CHECK(vg_pubstats_interval(x, st, 3, 3, 1, 1, &lo, &hi) == VG_OK);
    CHECK_EQ_INT(lo, 12 - 2);  /* (1,1) may fall by min(2, 12) */
    CHECK_EQ_INT(hi, 12 + 8);
    CHECK_EQ_INT(attack(x, st, 3, 3, 5, 5, "protected"), 0);
}

/* Zeros are published and never chosen as complements while a non-zero
 * cell is available. */
TEST(publish_stats_zero_rule)
{
    const int64_t x[8] = {3, 0, 0, 20,
                          0, 15, 9, 30};
    unsigned char st[8];
    struct vg_pubstats_summary s;
    struct vg_diag d;
    REQUIRE(vg_pubstats_suppress(x, 2, 4, NULL, st, &s, &d) == VG_OK);
    CHECK_EQ_INT(st[1], VG_PUBSTATS_SHOWN);
    CHECK_EQ_INT(st[2], VG_PUBSTATS_SHOWN);
    CHECK_EQ_INT(st[3], VG_PUBSTATS_COMPLEMENT);
    CHECK_EQ_INT(attack(x, st, 2, 4, 5, 5, "protected"), s.weak ? 1 : 0);
    int64_t bad[2] = {-1, 3};
    CHECK(vg_pubstats_suppress(bad, 1, 2, NULL, st, &s, &d) == VG_RANGE);
}

/* Seeded random tables shaped like areas x months with many small counts. */
TEST(publish_stats_random_tables_resist_lp_attack)
{
    uint64_t seed = 12345;
    int under = 0;
    for (int t = 0; t < 6; t++) {
        size_t R = 6 + (size_t)t * 3, C = 12;
        int64_t *x = calloc(R * C, sizeof *x);
        unsigned char *st = calloc(R * C, 1);
        for (size_t k = 0; k < R * C; k++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            /* mostly 0..30 with a good share below 5 */
            x[k] = (int64_t)(seed % 100 < 30 ? seed % 5 : 5 + seed % 26);
        }
        struct vg_pubstats_summary s;
        struct vg_diag d;
        REQUIRE(vg_pubstats_suppress(x, R, C, NULL, st, &s, &d) == VG_OK);
        CHECK(s.primary > 0);
        CHECK_EQ_INT(s.weak, 0);
        /* every line with a suppressed cell has at least two */
        for (size_t i = 0; i < R; i++) {
            size_t n = 0;
            for (size_t j = 0; j < C; j++)
                n += st[i * C + j] != 0;
            CHECK(n != 1);
        }
        for (size_t j = 0; j < C; j++) {
            size_t n = 0;
            for (size_t i = 0; i < R; i++)
                n += st[i * C + j] != 0;
            CHECK(n != 1);
        }
        CHECK_EQ_INT(attack(x, st, R, C, 5, 5, "protected"), 0);
        /* under-suppress: primary suppression only.  A line holding a lone
         * suppressed cell gives it away through its total, so there the
         * attack must pin it; otherwise it must not claim to. */
        for (size_t k = 0; k < R * C; k++)
            if (st[k] == VG_PUBSTATS_COMPLEMENT)
                st[k] = VG_PUBSTATS_SHOWN;
        int lone = 0;
        for (size_t i = 0; i < R; i++) {
            size_t n = 0;
            for (size_t j = 0; j < C; j++)
                n += st[i * C + j] != 0;
            lone |= n == 1;
        }
        for (size_t j = 0; j < C; j++) {
            size_t n = 0;
            for (size_t i = 0; i < R; i++)
                n += st[i * C + j] != 0;
            lone |= n == 1;
        }
        if (lone) {
            CHECK_EQ_INT(attack(x, st, R, C, 5, 5, "recovered"), 0);
            under++;
        }
        free(x);
        free(st);
    }
    CHECK(under >= 3); /* the attack was shown to work on most tables */
}

/* The naive rule alone (two per line) can still leave a cell pinned: two
 * 2x2 blocks joined by a bridge cell.  The exact interval check catches it. */
TEST(publish_stats_bridge_needs_interval_check)
{
    /* suppressed pattern: rows 0-1 x cols 0-1, rows 2-3 x cols 2-3, and
     * the bridge (1,2) plus (0,1)... built by hand as a state, not by the
     * algorithm, to show the attack pins something the line rule accepts */
    const int64_t x[16] = {1, 7, 20, 20,
                           7, 1, 2, 20,
                           20, 20, 1, 7,
                           20, 20, 7, 1};
    unsigned char st[16] = {1, 2, 0, 0,
                            2, 1, 1, 0,
                            0, 0, 1, 2,
                            0, 0, 2, 1};
    /* every line holding a suppressed cell holds two or more */
    CHECK_EQ_INT(attack(x, st, 4, 4, 5, 5, "recovered"), 0);
    int64_t lo, hi;
    CHECK(vg_pubstats_interval(x, st, 4, 4, 1, 2, &lo, &hi) == VG_OK);
    CHECK_EQ_INT(lo, 2);
    CHECK_EQ_INT(hi, 2);
    struct vg_pubstats_summary s;
    struct vg_diag d;
    REQUIRE(vg_pubstats_suppress(x, 4, 4, NULL, st, &s, &d) == VG_OK);
    CHECK_EQ_INT(s.weak, 0);
    CHECK_EQ_INT(attack(x, st, 4, 4, 5, 5, "protected"), 0);
}

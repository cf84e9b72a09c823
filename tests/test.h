/*
 * test.h — the tiny unit-test framework.  A test is
 *     TEST(csv_quotes) { ... CHECK(x == 1); CHECK_EQ_INT(a, b); ... }
 * Tests register themselves at load time; tests/unit/runner.c runs them all
 * (or those whose name contains argv[1]) and ends with "N passed, N failed".
 * A failed CHECK marks the test failed and continues; REQUIRE returns.
 */
#ifndef VG_TEST_H
#define VG_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

struct vg_test {
    const char *name, *file;
    void (*fn)(void);
    struct vg_test *next;
};

void vg_test_register(struct vg_test *t);
void vg_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Path of the shared data folder ("../shared/data" from the project root,
 * or $VIGIE_DATA), and a scratch directory unique to this run. */
const char *vg_test_data(void);
const char *vg_test_tmpdir(void);
/* A whole file, malloc'ed with a NUL after it (NULL if unreadable); and
 * (over)writing one. */
char *vg_test_slurp(const char *path, size_t *len);
void vg_test_spit(const char *path, const char *p, size_t n);

#define TEST(nm)                                                              \
    static void test_##nm(void);                                              \
    static struct vg_test test_rec_##nm = {#nm, __FILE__, test_##nm, NULL};   \
    __attribute__((constructor)) static void test_reg_##nm(void)              \
    {                                                                         \
        vg_test_register(&test_rec_##nm);                                     \
    }                                                                         \
    static void test_##nm(void)

#define CHECK(c)                                                              \
    do {                                                                      \
        if (!(c))                                                             \
            vg_test_fail(__FILE__, __LINE__, "CHECK(%s)", #c);                \
    } while (0)
#define REQUIRE(c)                                                            \
    do {                                                                      \
        if (!(c)) {                                                           \
            vg_test_fail(__FILE__, __LINE__, "REQUIRE(%s)", #c);              \
            return;                                                           \
        }                                                                     \
    } while (0)
#define CHECK_EQ_INT(a, b)                                                    \
    do {                                                                      \
        long long va_ = (long long)(a), vb_ = (long long)(b);                 \
        if (va_ != vb_)                                                       \
            vg_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a,    \
                         #b, va_, vb_);                                       \
    } while (0)
#define CHECK_NEAR(a, b, tol)                                                 \
    do {                                                                      \
        double va_ = (a), vb_ = (b);                                          \
        if (!(fabs(va_ - vb_) <= (tol)))                                      \
            vg_test_fail(__FILE__, __LINE__, "%s ~ %s: %.17g vs %.17g", #a,   \
                         #b, va_, vb_);                                       \
    } while (0)
#define CHECK_STR(a, b)                                                       \
    do {                                                                      \
        const char *sa_ = (a), *sb_ = (b);                                    \
        if (sa_ == NULL || sb_ == NULL || strcmp(sa_, sb_) != 0)              \
            vg_test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"",   \
                         #a, #b, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)"); \
    } while (0)

#endif

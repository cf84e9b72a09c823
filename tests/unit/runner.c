/*
 * runner.c — runs every registered unit test, in name order, and prints
 * "N passed, N failed".  `test-unit PATTERN` runs the tests whose name
 * contains PATTERN.  Exit status 1 if any test failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../test.h"

static struct vg_test *head;
static int current_failed;

void vg_test_register(struct vg_test *t)
{
    /* insertion sort by name so the order does not depend on link order */
    struct vg_test **pp = &head;
    while (*pp && strcmp((*pp)->name, t->name) < 0)
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
}

void vg_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "    %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    current_failed = 1;
}

const char *vg_test_data(void)
{
    const char *e = getenv("VIGIE_DATA");
    return e && *e ? e : "../shared/data";
}

char *vg_test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p = NULL;
    *len = 0;
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (p && fread(p, 1, (size_t)n, f) == (size_t)n) {
        *len = (size_t)n;
        p[n] = '\0';
    }
    fclose(f);
    return p;
}

void vg_test_spit(const char *path, const char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(p, 1, n, f);
        fclose(f);
    }
}

const char *vg_test_tmpdir(void)
{
    static char dir[256];
    if (dir[0])
        return dir;
    const char *base = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/vigie-unit-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        exit(2);
    }
    return dir;
}

int main(int argc, char **argv)
{
    const char *pat = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;
    for (struct vg_test *t = head; t; t = t->next) {
        if (pat && strstr(t->name, pat) == NULL)
            continue;
        current_failed = 0;
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        t->fn();
        clock_gettime(CLOCK_MONOTONIC, &b);
        double ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
        printf("%s %-40s %8.1f ms\n", current_failed ? "FAIL" : "ok  ", t->name, ms);
        fflush(stdout);
        if (current_failed)
            failed++;
        else
            passed++;
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

/*
 * alloc.c — allocation wrapper with failure injection for tests.
 * The countdown is a plain global: it is a test hook, set only by
 * single-threaded tests before the code under test runs.
 */
#include "base/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t fail_countdown = SIZE_MAX;

void vg_alloc_fail_after(size_t n) { fail_countdown = n; }

static int should_fail(void)
{
    if (fail_countdown == SIZE_MAX)
        return 0;
    if (fail_countdown == 0)
        return 1;
    fail_countdown--;
    return 0;
}

void *vg_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *vg_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    if (count == 0 || size == 0)
        return calloc(1, 1);
    return calloc(count, size);
}

void *vg_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void *vg_reallocarray(void *p, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return vg_realloc(p, count * size);
}

char *vg_strndup(const char *s, size_t n)
{
    char *r = vg_malloc(n + 1);
    if (r == NULL)
        return NULL;
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

char *vg_strdup(const char *s) { return vg_strndup(s, strlen(s)); }

void vg_free(void *p) { free(p); }

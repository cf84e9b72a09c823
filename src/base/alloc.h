/*
 * alloc.h — the one allocation wrapper.  Every heap allocation in vigie goes
 * through these functions so tests can make the Nth allocation fail
 * (vg_alloc_fail_after) and check that every failure path cleans up.
 * Memory returned is owned by the caller and released with vg_free().
 */
#ifndef VG_ALLOC_H
#define VG_ALLOC_H

#include <stddef.h>

void *vg_malloc(size_t n);
void *vg_calloc(size_t count, size_t size);   /* overflow-checked */
void *vg_realloc(void *p, size_t n);
/* realloc for arrays: overflow-checked count*size. */
void *vg_reallocarray(void *p, size_t count, size_t size);
char *vg_strdup(const char *s);
char *vg_strndup(const char *s, size_t n);
void vg_free(void *p);

/* Testing: after `n` more successful allocations, every allocation fails
 * until vg_alloc_fail_after((size_t)-1) disarms it.  Not thread-safe; for
 * single-threaded tests only. */
void vg_alloc_fail_after(size_t n);

#endif

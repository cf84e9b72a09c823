/*
 * events.c — columnar event arrays: growth, sorting, prefixes, digests.
 * Invariant: all arrays have `cap` slots and the first `n` are valid; after
 * vg_events_sort() they are ordered by (t, id).  A view (owns == 0) borrows
 * its arrays and vg_events_free() leaves them alone.
 */
#include "store/events.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

static const char *const source_names[VG_SRC__COUNT] = {
    "unknown", "logbook", "intervention", "partner:landlord",
    "partner:social", "partner:health", "citizen", "camera",
    "police_records", "calls",
};

static const char *const origin_names[VG_ORIGIN__COUNT] = {
    "unknown", "reported", "discovered", "camera",
};

const char *vg_source_name(enum vg_source s)
{
    return (unsigned)s < VG_SRC__COUNT ? source_names[s] : "unknown";
}

enum vg_err vg_source_parse(const char *s, enum vg_source *out)
{
    for (int i = 0; i < VG_SRC__COUNT; i++)
        if (strcmp(s, source_names[i]) == 0) {
            *out = (enum vg_source)i;
            return VG_OK;
        }
    return VG_PARSE;
}

const char *vg_origin_name(enum vg_origin o)
{
    return (unsigned)o < VG_ORIGIN__COUNT ? origin_names[o] : "unknown";
}

enum vg_err vg_origin_parse(const char *s, enum vg_origin *out)
{
    for (int i = 0; i < VG_ORIGIN__COUNT; i++)
        if (strcmp(s, origin_names[i]) == 0) {
            *out = (enum vg_origin)i;
            return VG_OK;
        }
    return VG_PARSE;
}

void vg_events_init(struct vg_events *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->owns = 1;
}

#define EV_FIELDS(X)                                                          \
    X(id) X(t) X(t_end) X(x) X(y) X(lon) X(lat) X(cat) X(area) X(source)      \
    X(origin)

enum vg_err vg_events_reserve(struct vg_events *ev, size_t cap)
{
    if (cap <= ev->cap)
        return VG_OK;
    if (!ev->owns)
        return VG_STATE;
#define EV_GROW(f)                                                            \
    {                                                                         \
        void *p = vg_reallocarray(ev->f, cap, sizeof *ev->f);                 \
        if (p == NULL)                                                        \
            return VG_NOMEM;                                                  \
        ev->f = p;                                                            \
    }
    EV_FIELDS(EV_GROW)
#undef EV_GROW
    ev->cap = cap;
    return VG_OK;
}

enum vg_err vg_events_push(struct vg_events *ev, int64_t id, int64_t t,
                           int64_t t_end, double x, double y, double lon,
                           double lat, int32_t cat, int32_t area,
                           uint8_t source, uint8_t origin)
{
    if (ev->n == ev->cap) {
        enum vg_err e = vg_events_reserve(ev, ev->cap ? ev->cap * 2 : 1024);
        if (e)
            return e;
    }
    size_t i = ev->n++;
    ev->id[i] = id;
    ev->t[i] = t;
    ev->t_end[i] = t_end;
    ev->x[i] = x;
    ev->y[i] = y;
    ev->lon[i] = lon;
    ev->lat[i] = lat;
    ev->cat[i] = cat;
    ev->area[i] = area;
    ev->source[i] = source;
    ev->origin[i] = origin;
    return VG_OK;
}

/* Sorting goes through a permutation so every column moves once. */
static const struct vg_events *sort_ev;

static int cmp_perm(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (sort_ev->t[i] != sort_ev->t[j])
        return sort_ev->t[i] < sort_ev->t[j] ? -1 : 1;
    if (sort_ev->id[i] != sort_ev->id[j])
        return sort_ev->id[i] < sort_ev->id[j] ? -1 : 1;
    return 0;
}

enum vg_err vg_events_sort(struct vg_events *ev)
{
    size_t n = ev->n;
    int sorted = 1;
    for (size_t i = 1; i < n && sorted; i++)
        if (ev->t[i] < ev->t[i - 1] ||
            (ev->t[i] == ev->t[i - 1] && ev->id[i] < ev->id[i - 1]))
            sorted = 0;
    if (sorted)
        return VG_OK;
    size_t *perm = vg_calloc(n, sizeof *perm);
    void *tmp = vg_calloc(n, 8);
    if (perm == NULL || tmp == NULL) {
        vg_free(perm);
        vg_free(tmp);
        return VG_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    /* qsort with a file-static context: sorting is not done concurrently
     * on different event sets (loading happens once, before threads). */
    sort_ev = ev;
    qsort(perm, n, sizeof *perm, cmp_perm);
    sort_ev = NULL;
#define EV_APPLY(f)                                                           \
    {                                                                         \
        __typeof__(ev->f) dst = tmp;                                          \
        for (size_t i = 0; i < n; i++)                                        \
            dst[i] = ev->f[perm[i]];                                          \
        memcpy(ev->f, dst, n * sizeof *ev->f);                                \
    }
    EV_FIELDS(EV_APPLY)
#undef EV_APPLY
    vg_free(perm);
    vg_free(tmp);
    return VG_OK;
}

void vg_events_free(struct vg_events *ev)
{
    if (ev == NULL)
        return;
    if (ev->owns) {
#define EV_FREE(f) vg_free(ev->f);
        EV_FIELDS(EV_FREE)
#undef EV_FREE
    }
    memset(ev, 0, sizeof *ev);
    ev->owns = 1;
}

size_t vg_events_before(const struct vg_events *ev, int64_t t0)
{
    size_t lo = 0, hi = ev->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ev->t[mid] < t0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct vg_events vg_events_prefix(const struct vg_events *ev, size_t n)
{
    struct vg_events v = *ev;
    v.n = n < ev->n ? n : ev->n;
    v.cap = v.n;
    v.owns = 0;
    return v;
}

enum vg_err vg_events_copy_before(const struct vg_events *ev, int64_t t0,
                                  const int32_t *cats, size_t ncats,
                                  struct vg_events *out)
{
    vg_events_init(out);
    size_t n = vg_events_before(ev, t0);
    enum vg_err e = vg_events_reserve(out, n ? n : 1);
    if (e)
        return e;
    for (size_t i = 0; i < n; i++) {
        if (ncats) {
            size_t k = 0;
            while (k < ncats && cats[k] != ev->cat[i])
                k++;
            if (k == ncats)
                continue;
        }
        size_t j = out->n++;
#define EV_COPY(f) out->f[j] = ev->f[i];
        EV_FIELDS(EV_COPY)
#undef EV_COPY
    }
    return VG_OK;
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int k = 0; k < 8; k++)
        p[k] = (unsigned char)(v >> (8 * k));
}

void vg_events_digest(const struct vg_events *ev, char out[65])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char rec[48];
    for (size_t i = 0; i < ev->n; i++) {
        uint64_t xb, yb;
        memcpy(&xb, &ev->x[i], 8);
        memcpy(&yb, &ev->y[i], 8);
        put64(rec, (uint64_t)ev->id[i]);
        put64(rec + 8, (uint64_t)ev->t[i]);
        put64(rec + 16, (uint64_t)ev->t_end[i]);
        put64(rec + 24, xb);
        put64(rec + 32, yb);
        uint32_t c = (uint32_t)ev->cat[i];
        for (int k = 0; k < 4; k++)
            rec[40 + k] = (unsigned char)(c >> (8 * k));
        rec[44] = ev->origin[i];
        rec[45] = rec[46] = rec[47] = 0;
        crypto_hash_sha256_update(&st, rec, sizeof rec);
    }
    unsigned char h[32];
    crypto_hash_sha256_final(&st, h);
    for (int k = 0; k < 32; k++) {
        static const char hex[] = "0123456789abcdef";
        out[2 * k] = hex[h[k] >> 4];
        out[2 * k + 1] = hex[h[k] & 15];
    }
    out[64] = '\0';
}

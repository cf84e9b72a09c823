/*
 * events.c — columnar incident arrays (see events.h).
 *
 * Written on branch `eval` faithfully to events.h so the evaluation code can
 * link before the lead's version lands; the lead's events.c replaces it.
 * Invariant: every array of an owned struct has `cap` slots and the first
 * `n` are valid; a view (owns == 0) borrows another struct's arrays.
 * Memory: vg_events_free releases owned arrays; views are never freed.
 */
#include "store/events.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

static const char *const source_names[VG_SRC__COUNT] = {
    "unknown",          "logbook",        "intervention",
    "partner:landlord", "partner:social", "partner:health",
    "citizen",          "camera",         "police-records",
    "calls",
};

static const char *const origin_names[VG_ORIGIN__COUNT] = {
    "unknown", "reported", "discovered", "camera"};

const char *vg_source_name(enum vg_source s)
{
    return (unsigned)s < VG_SRC__COUNT ? source_names[s] : "unknown";
}

enum vg_err vg_source_parse(const char *s, enum vg_source *out)
{
    for (int i = 0; i < VG_SRC__COUNT; i++)
        if (s && strcmp(s, source_names[i]) == 0) {
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
        if (s && strcmp(s, origin_names[i]) == 0) {
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
    X(id) X(t) X(t_end) X(x) X(y) X(lon) X(lat) X(cat) X(area) X(source)     \
        X(origin)

enum vg_err vg_events_reserve(struct vg_events *ev, size_t cap)
{
    if (!ev->owns)
        return VG_STATE;
    if (cap <= ev->cap)
        return VG_OK;
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
        enum vg_err e = vg_events_reserve(ev, ev->cap ? ev->cap * 2 : 64);
        if (e != VG_OK)
            return e;
    }
    size_t i = ev->n++;
    ev->id[i] = id, ev->t[i] = t, ev->t_end[i] = t_end;
    ev->x[i] = x, ev->y[i] = y, ev->lon[i] = lon, ev->lat[i] = lat;
    ev->cat[i] = cat, ev->area[i] = area;
    ev->source[i] = source, ev->origin[i] = origin;
    return VG_OK;
}

static int cmp_key(const void *a, const void *b)
{
    const int64_t *x = a, *y = b; /* (t, id, index) triples */
    for (int k = 0; k < 3; k++)
        if (x[k] != y[k])
            return x[k] < y[k] ? -1 : 1;
    return 0;
}

enum vg_err vg_events_sort(struct vg_events *ev)
{
    enum vg_err e = VG_OK;
    int64_t *key = NULL;
    struct vg_events tmp;
    vg_events_init(&tmp);
    if (ev->n < 2)
        goto out;
    key = vg_calloc(ev->n, 3 * sizeof *key);
    if (key == NULL || vg_events_reserve(&tmp, ev->n) != VG_OK) {
        e = VG_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < ev->n; i++)
        key[3 * i] = ev->t[i], key[3 * i + 1] = ev->id[i],
                key[3 * i + 2] = (int64_t)i;
    qsort(key, ev->n, 3 * sizeof *key, cmp_key);
    for (size_t i = 0; i < ev->n; i++) {
        size_t j = (size_t)key[3 * i + 2];
#define EV_MOVE(f) tmp.f[i] = ev->f[j];
        EV_FIELDS(EV_MOVE)
#undef EV_MOVE
    }
#define EV_COPY(f) memcpy(ev->f, tmp.f, ev->n * sizeof *ev->f);
    EV_FIELDS(EV_COPY)
#undef EV_COPY
out:
    vg_free(key);
    vg_events_free(&tmp);
    return e;
}

void vg_events_free(struct vg_events *ev)
{
    if (ev == NULL || !ev->owns)
        return;
#define EV_FREE(f) vg_free(ev->f);
    EV_FIELDS(EV_FREE)
#undef EV_FREE
    vg_events_init(ev);
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
    size_t n = vg_events_before(ev, t0), k = 0;
    vg_events_init(out);
    enum vg_err e = vg_events_reserve(out, n ? n : 1);
    if (e != VG_OK)
        return e;
    if (ncats == 0) {
#define EV_PREFIX(f) memcpy(out->f, ev->f, n * sizeof *ev->f);
        EV_FIELDS(EV_PREFIX)
#undef EV_PREFIX
        out->n = n;
        return VG_OK;
    }
    for (size_t i = 0; i < n; i++) {
        size_t c = 0;
        while (c < ncats && cats[c] != ev->cat[i])
            c++;
        if (c == ncats)
            continue;
#define EV_PICK(f) out->f[k] = ev->f[i];
        EV_FIELDS(EV_PICK)
#undef EV_PICK
        k++;
    }
    out->n = k;
    return VG_OK;
}

static void put_le(crypto_hash_sha256_state *st, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    crypto_hash_sha256_update(st, b, 8);
}

static uint64_t dbits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

void vg_events_digest(const struct vg_events *ev, char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char h[32];
    crypto_hash_sha256_init(&st);
    for (size_t i = 0; i < ev->n; i++) {
        unsigned char c4[4], o = ev->origin[i];
        put_le(&st, (uint64_t)ev->id[i]);
        put_le(&st, (uint64_t)ev->t[i]);
        put_le(&st, (uint64_t)ev->t_end[i]);
        put_le(&st, dbits(ev->x[i]));
        put_le(&st, dbits(ev->y[i]));
        for (int b = 0; b < 4; b++)
            c4[b] = (unsigned char)((uint32_t)ev->cat[i] >> (8 * b));
        crypto_hash_sha256_update(&st, c4, 4);
        crypto_hash_sha256_update(&st, &o, 1);
    }
    crypto_hash_sha256_final(&st, h);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/*
 * housekeeping.c — the server's daily job: enforce the retention policy
 * (audit/purge.c, the same code as `vigie purge`) when the server starts and
 * then every `purge_hours` hours.  The purge runs under the engine mutex
 * (it writes the store) and appends its audit record through the server's
 * open trail; after a purge that deleted anything the response cache is
 * emptied.  A failed purge is reported on stderr and retried at the next
 * period; the server keeps serving.
 * Invariant: one housekeeping thread per server; vg_housekeeping_stop
 * wakes it and joins it before the store is closed.
 */
#include "server/housekeeping.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/purge.h"
#include "base/alloc.h"
#include "server/http.h"
#include "server/server.h"

struct vg_housekeeping {
    struct vg_server *s;
    double hours;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
};

static void clear_cache(struct vg_server *s)
{
    pthread_mutex_lock(&s->cache_mu);
    for (size_t i = 0; i < VG_CACHE_SLOTS; i++)
        s->cache[i].key[0] = '\0';
    pthread_mutex_unlock(&s->cache_mu);
}

struct purge_arg {
    struct vg_server *s;
    struct vg_purge_counts c;
    struct vg_diag d;
};

static enum vg_err purge_with(struct vg_audit *trail, void *arg)
{
    struct purge_arg *p = arg;
    return vg_purge_run(p->s->ctx.store, trail, (int64_t)time(NULL), 0, &p->c, &p->d);
}

void vg_housekeeping_purge(struct vg_server *s)
{
    struct purge_arg p;
    memset(&p, 0, sizeof p);
    p.s = s;
    vg_diag_clear(&p.d);
    pthread_mutex_lock(&s->engine);
    enum vg_err e = vg_server_audit_with(purge_with, &p);
    pthread_mutex_unlock(&s->engine);
    size_t expired = 0, held = 0, purged = 0;
    for (int t = 0; t < VG_RET_NTYPES; t++)
        expired += p.c.expired[t], held += p.c.held[t], purged += p.c.purged[t];
    if (e != VG_OK)
        fprintf(stderr, "vigie serve: retention purge failed (%s); retried at the next period\n",
                p.d.msg[0] ? p.d.msg : vg_strerror(e));
    else
        fprintf(stderr, "vigie serve: retention purge: %zu records past retention, %zu kept by "
                "legal holds, %zu deleted (audit record %lld)\n", expired, held, purged,
                (long long)p.c.audit_seq);
    if (e == VG_OK && purged)
        clear_cache(s);
}

static void *run(void *arg)
{
    struct vg_housekeeping *h = arg;
    pthread_mutex_lock(&h->mu);
    while (!h->stop) {
        pthread_mutex_unlock(&h->mu);
        vg_housekeeping_purge(h->s);
        pthread_mutex_lock(&h->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += (time_t)(h->hours * 3600);
        while (!h->stop && pthread_cond_timedwait(&h->cv, &h->mu, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

enum vg_err vg_housekeeping_start(struct vg_server *s, double hours,
                                  struct vg_housekeeping **out, struct vg_diag *d)
{
    *out = NULL;
    if (hours <= 0)
        return VG_OK;
    struct vg_housekeeping *h = vg_calloc(1, sizeof *h);
    if (h == NULL)
        return VG_NOMEM;
    h->s = s, h->hours = hours;
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    if (pthread_create(&h->th, NULL, run, h) != 0) {
        pthread_mutex_destroy(&h->mu);
        pthread_cond_destroy(&h->cv);
        vg_free(h);
        return vg_fail(d, VG_INTERNAL, "", 0, 0, "cannot start the housekeeping thread");
    }
    *out = h;
    return VG_OK;
}

void vg_housekeeping_stop(struct vg_housekeeping *h)
{
    if (h == NULL)
        return;
    pthread_mutex_lock(&h->mu);
    h->stop = 1;
    pthread_cond_signal(&h->cv);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->th, NULL);
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
    vg_free(h);
}

/*
 * auth.c — roles, password hashes, sessions and login rate limits (see
 * auth.h).  Invariant: a session slot is live iff used != 0; the plain
 * token never stays in memory after vg_auth_session_new returns, only its
 * hash.  All tables are fixed arrays inside `struct vg_auth`, guarded by
 * one mutex; the only heap block is the struct itself.
 */
#include "server/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store.h"

#define RATE_SLOTS 4096

struct session {
    int used;
    unsigned char key[32]; /* BLAKE2b of the token */
    int64_t created, seen;
    struct vg_session_info who;
};

struct rate {
    char key[VG_AUTH_NAME_MAX + 8]; /* "u:NAME" or "i:ADDR" */
    int64_t start;
    unsigned fails;
};

struct vg_auth {
    pthread_mutex_t mu;
    struct session s[VG_AUTH_MAX_SESSIONS];
    struct rate r[RATE_SLOTS];
};

static const char *const role_names[] = {"operator", "analyst", "supervisor", "auditor", "admin"};

unsigned vg_auth_role_parse(const char *name)
{
    for (unsigned i = 0; name && i < 5; i++)
        if (!strcmp(name, role_names[i]))
            return 1u << i;
    return 0;
}

const char *vg_auth_role_name(unsigned role)
{
    for (unsigned i = 0; i < 5; i++)
        if (role == 1u << i)
            return role_names[i];
    return "?";
}

int vg_auth_name_ok(const char *n)
{
    size_t len = n ? strlen(n) : 0;
    if (len == 0 || len > VG_AUTH_NAME_MAX)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = n[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return 0;
    }
    return 1;
}

enum vg_err vg_auth_hash(const char *pw, size_t len, char *out, struct vg_diag *d)
{
    if (len < VG_AUTH_PW_MIN || len > VG_AUTH_PW_MAX)
        return vg_fail(d, VG_RANGE, "", 0, 0, "a password of %zu bytes: %d to %d are needed",
                       len, VG_AUTH_PW_MIN, VG_AUTH_PW_MAX);
    if (sodium_init() < 0)
        return vg_fail(d, VG_INTERNAL, "", 0, 0, "libsodium failed to initialise");
    _Static_assert(crypto_pwhash_STRBYTES <= VG_AUTH_HASH_MAX, "hash buffer");
    if (crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return vg_fail(d, VG_NOMEM, "", 0, 0, "Argon2id hashing ran out of memory");
    return VG_OK;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void make_dummy(void)
{
    unsigned char rnd[16];
    char pw[33];
    if (sodium_init() < 0)
        return;
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(pw, sizeof pw, rnd, sizeof rnd);
    if (crypto_pwhash_str(dummy_hash, pw, 32, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

int vg_auth_verify(const char *hash, const char *pw, size_t len)
{
    if (sodium_init() < 0 || pw == NULL || len > VG_AUTH_PW_MAX)
        return 0;
    if (hash == NULL || hash[0] == '\0') {
        pthread_once(&dummy_once, make_dummy);
        int ignored = dummy_hash[0] ? crypto_pwhash_str_verify(dummy_hash, pw, len) : 0;
        (void)ignored;
        return 0;
    }
    return crypto_pwhash_str_verify(hash, pw, len) == 0;
}

enum vg_err vg_auth_new(struct vg_auth **out)
{
    *out = NULL;
    if (sodium_init() < 0)
        return VG_INTERNAL;
    struct vg_auth *a = vg_calloc(1, sizeof *a);
    if (a == NULL)
        return VG_NOMEM;
    if (pthread_mutex_init(&a->mu, NULL) != 0) {
        vg_free(a);
        return VG_INTERNAL;
    }
    *out = a;
    return VG_OK;
}

void vg_auth_free(struct vg_auth *a)
{
    if (a == NULL)
        return;
    pthread_mutex_destroy(&a->mu);
    sodium_memzero(a, sizeof *a);
    vg_free(a);
}

/* The slot counting `key` in the current window (reset if it expired),
 * a free or the oldest slot when absent and `create`; NULL otherwise. */
static struct rate *rate_slot(struct vg_auth *a, const char *key, int64_t now, int create)
{
    struct rate *oldest = &a->r[0];
    for (size_t i = 0; i < RATE_SLOTS; i++) {
        struct rate *r = &a->r[i];
        if (r->key[0] && !strcmp(r->key, key)) {
            if (now - r->start >= VG_AUTH_WINDOW)
                r->start = now, r->fails = 0;
            return r;
        }
        if (!r->key[0] || now - r->start >= VG_AUTH_WINDOW || r->start < oldest->start)
            oldest = r;
        if (!r->key[0] && create)
            break;
    }
    if (!create)
        return NULL;
    snprintf(oldest->key, sizeof oldest->key, "%s", key);
    oldest->start = now;
    oldest->fails = 0;
    return oldest;
}

static unsigned over(struct vg_auth *a, const char *key, unsigned limit, int64_t now)
{
    struct rate *r = rate_slot(a, key, now, 0);
    if (r == NULL || r->fails < limit)
        return 0;
    int64_t left = r->start + VG_AUTH_WINDOW - now;
    return left > 0 ? (unsigned)left : 1;
}

enum vg_err vg_auth_rate_check(struct vg_auth *a, const char *user, const char *ip,
                               int64_t now, unsigned *retry_after)
{
    char ku[sizeof a->r[0].key], ki[sizeof a->r[0].key];
    snprintf(ku, sizeof ku, "u:%s", user ? user : "");
    snprintf(ki, sizeof ki, "i:%s", ip ? ip : "");
    pthread_mutex_lock(&a->mu);
    unsigned wu = over(a, ku, VG_AUTH_USER_FAILS, now);
    unsigned wi = over(a, ki, VG_AUTH_IP_FAILS, now);
    pthread_mutex_unlock(&a->mu);
    *retry_after = wu > wi ? wu : wi;
    return *retry_after ? VG_LIMIT : VG_OK;
}

void vg_auth_rate_note(struct vg_auth *a, const char *user, const char *ip, int64_t now,
                       int ok)
{
    char ku[sizeof a->r[0].key], ki[sizeof a->r[0].key];
    snprintf(ku, sizeof ku, "u:%s", user ? user : "");
    snprintf(ki, sizeof ki, "i:%s", ip ? ip : "");
    pthread_mutex_lock(&a->mu);
    if (ok) {
        struct rate *r = rate_slot(a, ku, now, 0);
        if (r)
            r->fails = 0;
    } else {
        rate_slot(a, ku, now, 1)->fails++;
        rate_slot(a, ki, now, 1)->fails++;
    }
    pthread_mutex_unlock(&a->mu);
}

static void token_key(const char *token, unsigned char key[32])
{
    crypto_generichash(key, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

static void random_hex(char *out)
{
    unsigned char rnd[VG_AUTH_TOKEN_LEN / 2];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(out, VG_AUTH_TOKEN_LEN + 1, rnd, sizeof rnd);
    sodium_memzero(rnd, sizeof rnd);
}

static int expired(const struct session *s, int64_t now)
{
    return now - s->seen > VG_AUTH_IDLE || now - s->created > VG_AUTH_MAX_AGE;
}

enum vg_err vg_auth_session_new(struct vg_auth *a, const char *user, unsigned role,
                                int64_t now, char *token, struct vg_session_info *who)
{
    enum vg_err e = VG_LIMIT;
    random_hex(token);
    pthread_mutex_lock(&a->mu);
    for (size_t i = 0; i < VG_AUTH_MAX_SESSIONS; i++) {
        struct session *s = &a->s[i];
        if (s->used && !expired(s, now))
            continue;
        memset(s, 0, sizeof *s);
        s->used = 1;
        token_key(token, s->key);
        s->created = s->seen = now;
        snprintf(s->who.user, sizeof s->who.user, "%s", user);
        s->who.role = role;
        random_hex(s->who.csrf);
        *who = s->who;
        e = VG_OK;
        break;
    }
    pthread_mutex_unlock(&a->mu);
    return e;
}

enum vg_err vg_auth_session_get(struct vg_auth *a, const char *token, int64_t now,
                                struct vg_session_info *who)
{
    unsigned char key[32];
    enum vg_err e = VG_AUTH;
    if (token == NULL || strlen(token) != VG_AUTH_TOKEN_LEN)
        return VG_AUTH;
    token_key(token, key);
    pthread_mutex_lock(&a->mu);
    for (size_t i = 0; i < VG_AUTH_MAX_SESSIONS; i++) {
        struct session *s = &a->s[i];
        if (!s->used || sodium_memcmp(s->key, key, sizeof key) != 0)
            continue;
        if (expired(s, now)) {
            memset(s, 0, sizeof *s);
            break;
        }
        s->seen = now;
        *who = s->who;
        e = VG_OK;
        break;
    }
    pthread_mutex_unlock(&a->mu);
    return e;
}

void vg_auth_session_end(struct vg_auth *a, const char *token)
{
    unsigned char key[32];
    if (token == NULL)
        return;
    token_key(token, key);
    pthread_mutex_lock(&a->mu);
    for (size_t i = 0; i < VG_AUTH_MAX_SESSIONS; i++)
        if (a->s[i].used && sodium_memcmp(a->s[i].key, key, sizeof key) == 0)
            memset(&a->s[i], 0, sizeof a->s[i]);
    pthread_mutex_unlock(&a->mu);
}

size_t vg_auth_sessions_end_user(struct vg_auth *a, const char *user)
{
    size_t n = 0;
    pthread_mutex_lock(&a->mu);
    for (size_t i = 0; i < VG_AUTH_MAX_SESSIONS; i++)
        if (a->s[i].used && !strcmp(a->s[i].who.user, user)) {
            memset(&a->s[i], 0, sizeof a->s[i]);
            n++;
        }
    pthread_mutex_unlock(&a->mu);
    return n;
}

int vg_auth_token_eq(const char *x, const char *y)
{
    size_t lx = x ? strlen(x) : 0, ly = y ? strlen(y) : 0;
    if (lx == 0 || lx != ly)
        return 0;
    return sodium_memcmp(x, y, lx) == 0;
}

enum vg_err vg_auth_user_copy(void *arg, const struct vg_user_row *u)
{
    struct vg_auth_user *c = arg;
    c->found = 1;
    snprintf(c->role, sizeof c->role, "%s", u->role);
    snprintf(c->hash, sizeof c->hash, "%s", u->hash);
    c->disabled = u->disabled;
    c->created = u->created;
    return VG_OK;
}

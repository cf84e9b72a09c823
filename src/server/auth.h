/*
 * auth.h — who may do what in `vigie serve`: roles, Argon2id password
 * hashes (libsodium crypto_pwhash_str), sessions and login rate limits.
 *
 * Sessions live in the server's memory only (a restart logs everyone out):
 * the client holds a random 256-bit token in an HttpOnly SameSite=Strict
 * cookie, the server keeps only its BLAKE2b hash, the user, the role and a
 * separate random CSRF token that non-GET requests must echo in the
 * X-CSRF-Token header.  A session ends after VG_AUTH_IDLE seconds without a
 * request or VG_AUTH_MAX_AGE seconds after login, on logout, and when an
 * administrator changes, disables or deletes its user.
 *
 * Login failures are counted per user name and per client address in
 * fixed windows; past the limit, logins are refused (HTTP 429) until the
 * window ends, whether or not the password is right.
 *
 * `struct vg_auth` is opaque, owned by the server, thread-safe (one mutex).
 */
#ifndef VG_AUTH_H
#define VG_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum {
    VG_ROLE_OPERATOR = 1u << 0,   /* night-shift operator: the briefing */
    VG_ROLE_ANALYST = 1u << 1,    /* crime analyst: forecasts, incidents, stats */
    VG_ROLE_SUPERVISOR = 1u << 2, /* chef de service: everything operational */
    VG_ROLE_AUDITOR = 1u << 3,    /* reads the audit log; incidents with a purpose */
    VG_ROLE_ADMIN = 1u << 4,      /* accounts only, no operational data */
    VG_ROLE_PUBLIC = 1u << 8      /* no session needed (login, static files) */
};
#define VG_ROLE_ANY (VG_ROLE_OPERATOR | VG_ROLE_ANALYST | VG_ROLE_SUPERVISOR | \
                     VG_ROLE_AUDITOR | VG_ROLE_ADMIN)

#define VG_AUTH_IDLE (2 * 3600)
#define VG_AUTH_MAX_AGE (13 * 3600)  /* a night shift and its hand-over */
#define VG_AUTH_USER_FAILS 5         /* failures per user name per window */
#define VG_AUTH_IP_FAILS 20          /* failures per address per window */
#define VG_AUTH_WINDOW (15 * 60)
#define VG_AUTH_MAX_SESSIONS 4096
#define VG_AUTH_NAME_MAX 64
#define VG_AUTH_PW_MIN 10
#define VG_AUTH_PW_MAX 1024
#define VG_AUTH_TOKEN_LEN 64         /* hex characters of a token */
#define VG_AUTH_HASH_MAX 128         /* >= crypto_pwhash_STRBYTES */

/* Role bit of "operator", "analyst", "supervisor", "auditor", "admin";
 * 0 for anything else. */
unsigned vg_auth_role_parse(const char *name);
/* Name of a single role bit; "?" otherwise. */
const char *vg_auth_role_name(unsigned role);

/* User names: 1..VG_AUTH_NAME_MAX bytes of [a-z0-9._-], starting with a
 * letter or digit. */
int vg_auth_name_ok(const char *name);

/* Argon2id hash of `pw` (len bytes) with libsodium's interactive limits
 * into out[VG_AUTH_HASH_MAX].  VG_RANGE if the length is outside
 * [VG_AUTH_PW_MIN, VG_AUTH_PW_MAX]; VG_NOMEM if hashing failed. */
enum vg_err vg_auth_hash(const char *pw, size_t len, char *out,
                         struct vg_diag *d);
/* 1 when `pw` matches `hash`.  With hash == NULL a dummy hash is checked
 * so an unknown user costs the same time as a known one; returns 0. */
int vg_auth_verify(const char *hash, const char *pw, size_t len);

struct vg_session_info {
    char user[VG_AUTH_NAME_MAX + 1];
    unsigned role;
    char csrf[VG_AUTH_TOKEN_LEN + 1];
};

struct vg_auth;
enum vg_err vg_auth_new(struct vg_auth **out);
void vg_auth_free(struct vg_auth *a);

/* VG_OK if `user` from `ip` may try to log in at `now`; VG_LIMIT (with
 * *retry_after seconds) when either counter is over its limit. */
enum vg_err vg_auth_rate_check(struct vg_auth *a, const char *user,
                               const char *ip, int64_t now,
                               unsigned *retry_after);
/* Record a failed attempt, or a success (which clears the user's count). */
void vg_auth_rate_note(struct vg_auth *a, const char *user, const char *ip,
                       int64_t now, int ok);

/* Open a session: writes the cookie token into token[VG_AUTH_TOKEN_LEN+1]
 * and fills *who (with a fresh CSRF token).  VG_LIMIT when the table is
 * full of live sessions. */
enum vg_err vg_auth_session_new(struct vg_auth *a, const char *user,
                                unsigned role, int64_t now, char *token,
                                struct vg_session_info *who);
/* Look a token up: VG_OK and *who filled (idle clock restarted), or
 * VG_AUTH when unknown or expired. */
enum vg_err vg_auth_session_get(struct vg_auth *a, const char *token,
                                int64_t now, struct vg_session_info *who);
void vg_auth_session_end(struct vg_auth *a, const char *token);
/* End every session of `user`; returns how many. */
size_t vg_auth_sessions_end_user(struct vg_auth *a, const char *user);

/* Constant-time comparison of two NUL-terminated tokens. */
int vg_auth_token_eq(const char *a, const char *b);

/* A user row copied out of the store: pass vg_auth_user_copy and a zeroed
 * struct to the store's users_get (found = 1 once a row was seen).  Shared
 * by `vigie users` and the server's account routes. */
struct vg_user_row;
struct vg_auth_user {
    int found;
    char role[24], hash[VG_AUTH_HASH_MAX];
    int disabled;
    int64_t created;
};
enum vg_err vg_auth_user_copy(void *arg, const struct vg_user_row *u);

#endif

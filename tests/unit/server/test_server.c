/*
 * test_server.c — `vigie serve` end to end on loopback: a real server on a
 * fresh store and an ephemeral port, driven by a raw-socket HTTP client.
 * The route-table walk checks that every non-public route refuses a
 * request without a session (401) and a session of every role it does
 * not list (403): the expectation comes from the table's role bits, the
 * answer from the running server.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../test.h"
#include "base/buf.h"
#include "cli/context.h"
#include "report/briefing.h"
#include "store/store.h"
#include "server/auth.h"
#include "server/reqparse.h"
#include "server/routes.h"
#include "server/server.h"

#define PW "correct-horse-battery"

struct resp {
    int status;
    char head[4096];
    struct vg_buf body;
};

static int connect_to(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Send `raw` and read the whole answer (the request says Connection: close). */
static int http_raw(unsigned port, const char *raw, size_t len, struct resp *r)
{
    memset(r, 0, sizeof *r);
    vg_buf_init(&r->body, 0);
    int fd = connect_to(port);
    if (fd < 0)
        return -1;
    if (write(fd, raw, len) != (ssize_t)len) {
        close(fd);
        return -1;
    }
    struct vg_buf all;
    vg_buf_init(&all, 0);
    char chunk[8192];
    ssize_t n;
    struct pollfd p = {fd, POLLIN, 0};
    while (poll(&p, 1, 20000) > 0 && (n = read(fd, chunk, sizeof chunk)) > 0)
        vg_buf_add(&all, chunk, (size_t)n);
    close(fd);
    const char *sep = all.p ? strstr(all.p, "\r\n\r\n") : NULL;
    if (sep) {
        size_t hl = (size_t)(sep - all.p);
        snprintf(r->head, sizeof r->head, "%.*s", (int)(hl < sizeof r->head - 1 ? hl : sizeof r->head - 1), all.p);
        vg_buf_add(&r->body, sep + 4, all.len - hl - 4);
        r->status = (int)strtol(all.p + 9, NULL, 10);
    }
    vg_buf_free(&all);
    return r->status ? 0 : -1;
}

static int http(unsigned port, const char *method, const char *path, const char *cookie,
                const char *extra, const char *body, struct resp *r)
{
    char req[8192];
    int n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s%s%s"
                     "Content-Length: %zu\r\n%s\r\n%s",
                     method, path, cookie ? "Cookie: " : "", cookie ? cookie : "", cookie ? "\r\n" : "",
                     body ? "Content-Type: application/json\r\n" : "", body ? strlen(body) : 0,
                     extra ? extra : "", body ? body : "");
    return http_raw(port, req, (size_t)n, r);
}

static const char *header(const struct resp *r, const char *name, char *out, size_t cap)
{
    char key[128];
    snprintf(key, sizeof key, "\r\n%s: ", name);
    const char *h = strcasestr(r->head, key);
    if (h == NULL)
        return NULL;
    h += strlen(key);
    size_t l = strcspn(h, "\r\n");
    snprintf(out, cap, "%.*s", (int)l, h);
    return out;
}

struct session {
    char cookie[200], csrf[80];
};

static int login(unsigned port, const char *user, const char *pw, struct session *s, int *status)
{
    char body[256], sc[400];
    struct resp r;
    snprintf(body, sizeof body, "{\"user\":\"%s\",\"password\":\"%s\"}", user, pw);
    http(port, "POST", "/api/v1/login", NULL, NULL, body, &r);
    *status = r.status;
    int ok = r.status == 200 && header(&r, "Set-Cookie", sc, sizeof sc);
    if (ok) {
        snprintf(s->cookie, sizeof s->cookie, "%.*s", (int)strcspn(sc, ";"), sc);
        const char *c = strstr(r.body.p, "\"csrf\":\"");
        snprintf(s->csrf, sizeof s->csrf, "%.64s", c ? c + 8 : "");
    }
    vg_buf_free(&r.body);
    return ok;
}

static const char *role_user[] = {"op", "an", "su", "au", "ad"};

/* A fresh store with one user per role, and a web root with index.html. */
static struct vg_server *start(const char *tag, unsigned timeout)
{
    static char db[512], web[512];
    char path[600];
    snprintf(db, sizeof db, "%s/server-%s.db", vg_test_tmpdir(), tag);
    snprintf(web, sizeof web, "%s/web-%s", vg_test_tmpdir(), tag);
    unlink(db);
    mkdir(web, 0700);
    snprintf(path, sizeof path, "%s/index.html", web);
    FILE *f = fopen(path, "w");
    if (f) {
        for (int i = 0; i < 200; i++)
            fputs("<p>vigie index page, long enough to be worth compressing</p>\n", f);
        fclose(f);
    }
    struct vg_ctx ctx;
    struct vg_diag d;
    if (vg_ctx_open(&ctx, db, 1, &d) != VG_OK)
        return NULL;
    char hash[VG_AUTH_HASH_MAX];
    vg_auth_hash(PW, strlen(PW), hash, &d);
    for (unsigned i = 0; i < 5; i++) {
        struct vg_user_row u = {role_user[i], vg_auth_role_name(1u << i), hash, 0, 1, 1};
        ctx.store->ops->user_put(ctx.store, &u, 1, &d);
    }
    vg_ctx_close(&ctx);
    struct vg_server_config c = {db, "127.0.0.1:0", web, NULL, NULL, NULL, 0, 0,
                                 4096, timeout, 0, 0, NULL, 0, NULL, NULL, NULL};
    struct vg_server *s = NULL;
    if (vg_server_start(&c, &s, &d) != VG_OK)
        fprintf(stderr, "    server start: %s\n", d.msg);
    return s;
}

static void concrete(const char *pattern, char *out, size_t cap)
{
    size_t l = strlen(pattern);
    if (l >= 2 && pattern[l - 1] == '*')
        snprintf(out, cap, "%.*snobody", (int)(l - 1), pattern);
    else
        snprintf(out, cap, "%s", pattern);
}

TEST(server_routes_walk_refuse_unauthenticated_and_wrong_role)
{
    struct vg_server *s = start("walk", 15);
    REQUIRE(s != NULL);
    unsigned port = vg_server_port(s);
    struct session sess[5];
    for (unsigned i = 0; i < 5; i++) {
        int st;
        CHECK(login(port, role_user[i], PW, &sess[i], &st));
    }
    size_t n, checked = 0;
    const struct vg_route *rt = vg_routes(&n);
    for (size_t i = 0; i < n; i++) {
        if (rt[i].roles & VG_ROLE_PUBLIC)
            continue;
        char path[256], extra[200];
        struct resp r;
        concrete(rt[i].path, path, sizeof path);
        const char *body = strcmp(rt[i].method, "GET") ? "{}" : NULL;
        http(port, rt[i].method, path, NULL, NULL, body, &r);
        if (r.status != 401)
            fprintf(stderr, "    %s %s without session: %d\n", rt[i].method, path, r.status);
        CHECK_EQ_INT(r.status, 401);
        vg_buf_free(&r.body);
        for (unsigned k = 0; k < 5; k++) {
            if (rt[i].roles & (1u << k))
                continue;
            snprintf(extra, sizeof extra, "X-CSRF-Token: %s\r\nX-Purpose: route walk test\r\n", sess[k].csrf);
            http(port, rt[i].method, path, sess[k].cookie, extra, body, &r);
            if (r.status != 403 || !strstr(r.body.p, "role may not use"))
                fprintf(stderr, "    %s %s as %s: %d %s\n", rt[i].method, path, role_user[k], r.status, r.body.p);
            CHECK_EQ_INT(r.status, 403);
            CHECK(r.body.p && strstr(r.body.p, "role may not use"));
            vg_buf_free(&r.body);
            checked++;
        }
    }
    CHECK(checked >= 30); /* the table really has role restrictions */
    /* a right role passes: GET me for everyone */
    for (unsigned k = 0; k < 5; k++) {
        struct resp r;
        http(port, "GET", "/api/v1/me", sess[k].cookie, NULL, NULL, &r);
        CHECK_EQ_INT(r.status, 200);
        CHECK(r.body.p && strstr(r.body.p, vg_auth_role_name(1u << k)));
        vg_buf_free(&r.body);
    }
    vg_server_stop(s);
}

TEST(server_csrf_purpose_and_logout)
{
    struct vg_server *s = start("csrf", 15);
    REQUIRE(s != NULL);
    unsigned port = vg_server_port(s);
    struct session ad, su;
    int st;
    REQUIRE(login(port, "ad", PW, &ad, &st));
    REQUIRE(login(port, "su", PW, &su, &st));
    struct resp r;
    const char *nu = "{\"name\":\"newbie\",\"role\":\"operator\",\"password\":\"long enough pw\"}";
    http(port, "POST", "/api/v1/users", ad.cookie, NULL, nu, &r); /* no CSRF header */
    CHECK_EQ_INT(r.status, 403);
    CHECK(strstr(r.body.p, "CSRF") != NULL);
    vg_buf_free(&r.body);
    char extra[200];
    snprintf(extra, sizeof extra, "X-CSRF-Token: %s\r\n", ad.csrf);
    http(port, "POST", "/api/v1/users", ad.cookie, extra, nu, &r);
    CHECK_EQ_INT(r.status, 201);
    vg_buf_free(&r.body);
    http(port, "POST", "/api/v1/users", ad.cookie, extra, nu, &r);
    CHECK_EQ_INT(r.status, 409); /* exists */
    vg_buf_free(&r.body);
    /* supervisors must state a purpose to read incidents */
    http(port, "GET", "/api/v1/incidents", su.cookie, NULL, NULL, &r);
    CHECK_EQ_INT(r.status, 403);
    CHECK(strstr(r.body.p, "purpose") != NULL);
    vg_buf_free(&r.body);
    http(port, "GET", "/api/v1/incidents?limit=5", su.cookie, "X-Purpose: enquete 2024-118\r\n", NULL, &r);
    CHECK_EQ_INT(r.status, 200);
    CHECK(strstr(r.body.p, "\"total\":0") != NULL);
    vg_buf_free(&r.body);
    /* logout kills the session */
    snprintf(extra, sizeof extra, "X-CSRF-Token: %s\r\n", su.csrf);
    http(port, "POST", "/api/v1/logout", su.cookie, extra, NULL, &r);
    CHECK_EQ_INT(r.status, 200);
    vg_buf_free(&r.body);
    http(port, "GET", "/api/v1/me", su.cookie, NULL, NULL, &r);
    CHECK_EQ_INT(r.status, 401);
    vg_buf_free(&r.body);
    /* disabling a user ends their sessions at once */
    struct session nb;
    REQUIRE(login(port, "newbie", "long enough pw", &nb, &st));
    snprintf(extra, sizeof extra, "X-CSRF-Token: %s\r\n", ad.csrf);
    http(port, "PATCH", "/api/v1/users/newbie", ad.cookie, extra, "{\"disabled\":true}", &r);
    CHECK_EQ_INT(r.status, 200);
    vg_buf_free(&r.body);
    http(port, "GET", "/api/v1/me", nb.cookie, NULL, NULL, &r);
    CHECK_EQ_INT(r.status, 401);
    vg_buf_free(&r.body);
    CHECK(!login(port, "newbie", "long enough pw", &nb, &st));
    CHECK_EQ_INT(st, 401);
    vg_server_stop(s);
}

TEST(server_login_rate_limit)
{
    struct vg_server *s = start("rate", 15);
    REQUIRE(s != NULL);
    unsigned port = vg_server_port(s);
    struct session x;
    int st = 0;
    for (int i = 0; i < VG_AUTH_USER_FAILS; i++) {
        CHECK(!login(port, "op", "wrong password!", &x, &st));
        CHECK_EQ_INT(st, 401);
    }
    CHECK(!login(port, "op", PW, &x, &st)); /* right password, still refused */
    CHECK_EQ_INT(st, 429);
    CHECK(login(port, "an", PW, &x, &st)); /* another user from the same address */
    vg_server_stop(s);
}

TEST(server_refuses_bad_requests_cleanly)
{
    struct vg_server *s = start("bad", 1);
    REQUIRE(s != NULL);
    unsigned port = vg_server_port(s);
    struct resp r;
    const char *big = "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      "Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{";
    http_raw(port, big, strlen(big), &r);
    CHECK_EQ_INT(r.status, 413);
    vg_buf_free(&r.body);
    const char *bad[] = {"{\"user\":", "[1,2]", "{\"user\":\"a\",\"user\":\"b\",\"password\":\"x\"}",
                         "{\"a\":[[[[[[[[[[[[1]]]]]]]]]]]]}", "{\"user\":\"op\",\"password\":7}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        http(port, "POST", "/api/v1/login", NULL, NULL, bad[i], &r);
        CHECK(r.status == 400 || r.status == 413);
        CHECK(r.body.p && strstr(r.body.p, "\"error\""));
        vg_buf_free(&r.body);
    }
    const char *trav[] = {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/.hidden",
                          "/a/../../etc/passwd", "/web/%2e%2e/x", "/..%2f..%2fetc%2fpasswd"};
    for (size_t i = 0; i < sizeof trav / sizeof trav[0]; i++) {
        http(port, "GET", trav[i], NULL, NULL, NULL, &r);
        CHECK(r.status == 403 || r.status == 404 || r.status == 400);
        CHECK(r.body.p == NULL || strstr(r.body.p, "root:") == NULL);
        vg_buf_free(&r.body);
    }
    /* a slow client that never finishes its headers is cut off */
    int fd = connect_to(port);
    REQUIRE(fd >= 0);
    CHECK(write(fd, "GET / HTTP/1.1\r\nHost: x\r\n", 25) == 25);
    struct pollfd p = {fd, POLLIN, 0};
    time_t t0 = time(NULL);
    char buf[256];
    int closed = poll(&p, 1, 8000) > 0 && read(fd, buf, sizeof buf) <= 0;
    CHECK(closed);
    CHECK(time(NULL) - t0 <= 6);
    close(fd);
    vg_server_stop(s);
}

TEST(server_static_headers_etag_gzip)
{
    struct vg_server *s = start("static", 15);
    REQUIRE(s != NULL);
    unsigned port = vg_server_port(s);
    struct resp r;
    char v[600], etag[100];
    http(port, "GET", "/", NULL, NULL, NULL, &r);
    CHECK_EQ_INT(r.status, 200);
    CHECK(header(&r, "Content-Security-Policy", v, sizeof v) && strstr(v, "frame-ancestors 'none'") &&
          strstr(v, "script-src 'self'") && !strstr(v, "unsafe-inline"));
    CHECK(header(&r, "X-Content-Type-Options", v, sizeof v) && !strcmp(v, "nosniff"));
    CHECK(header(&r, "Referrer-Policy", v, sizeof v) != NULL);
    CHECK(header(&r, "ETag", etag, sizeof etag) != NULL);
    CHECK(strstr(r.body.p, "vigie index page") != NULL);
    size_t plain = r.body.len;
    vg_buf_free(&r.body);
    char extra[200];
    snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", etag);
    http(port, "GET", "/index.html", NULL, extra, NULL, &r);
    CHECK_EQ_INT(r.status, 304);
    vg_buf_free(&r.body);
    http(port, "GET", "/", NULL, "Accept-Encoding: gzip, deflate\r\n", NULL, &r);
    CHECK_EQ_INT(r.status, 200);
    CHECK(header(&r, "Content-Encoding", v, sizeof v) && !strcmp(v, "gzip"));
    CHECK(r.body.len > 10 && r.body.len < plain / 5);
    CHECK((unsigned char)r.body.p[0] == 0x1f && (unsigned char)r.body.p[1] == 0x8b);
    vg_buf_free(&r.body);
    http(port, "GET", "/api/v1/nothing", NULL, NULL, NULL, &r);
    CHECK_EQ_INT(r.status, 404);
    vg_buf_free(&r.body);
    http(port, "DELETE", "/api/v1/me", NULL, NULL, NULL, &r);
    CHECK_EQ_INT(r.status, 405);
    vg_buf_free(&r.body);
    vg_server_stop(s);
}

static enum vg_err dummy(struct vg_req *r, struct vg_diag *d)
{
    (void)r, (void)d;
    return VG_OK;
}

TEST(server_route_without_roles_refuses_start)
{
    struct vg_diag d;
    const struct vg_route bad[] = {{"GET", "/api/v1/x", VG_ROLE_ANALYST, 0, dummy, ""},
                                   {"GET", "/api/v1/y", 0, 0, dummy, ""}};
    CHECK_EQ_INT(vg_routes_check(bad, 2, &d), VG_INTERNAL);
    CHECK(strstr(d.msg, "/api/v1/y") != NULL);
    const struct vg_route pub[] = {{"GET", "/api/v1/data", VG_ROLE_PUBLIC, 0, dummy, ""}};
    CHECK_EQ_INT(vg_routes_check(pub, 1, &d), VG_INTERNAL);
    size_t n;
    const struct vg_route *rt = vg_routes(&n);
    CHECK_EQ_INT(vg_routes_check(rt, n, &d), VG_OK);
}

TEST(server_reqparse_cookie_path_gzip)
{
    char v[80];
    const char *h = "a=1; vigie=abc123; __Host-vigie=\"q\"; bad=x y";
    CHECK_EQ_INT(vg_reqparse_cookie(h, strlen(h), "vigie", v, sizeof v), VG_OK);
    CHECK_STR(v, "abc123");
    CHECK_EQ_INT(vg_reqparse_cookie(h, strlen(h), "__Host-vigie", v, sizeof v), VG_OK);
    CHECK_STR(v, "q");
    CHECK_EQ_INT(vg_reqparse_cookie(h, strlen(h), "vig", v, sizeof v), VG_NOTFOUND);
    CHECK_EQ_INT(vg_reqparse_cookie(h, strlen(h), "bad", v, sizeof v), VG_PARSE);
    CHECK_EQ_INT(vg_reqparse_cookie(h, strlen(h), "vigie", v, 4), VG_LIMIT);
    CHECK_EQ_INT(vg_reqparse_cookie(h, 5, "vigie", v, sizeof v), VG_NOTFOUND); /* length respected */
    char p[300];
    CHECK_EQ_INT(vg_reqparse_path("/", 1, p, sizeof p), VG_OK);
    CHECK_STR(p, "index.html");
    CHECK_EQ_INT(vg_reqparse_path("//css//app.css", 14, p, sizeof p), VG_OK);
    CHECK_STR(p, "css/app.css");
    CHECK_EQ_INT(vg_reqparse_path("/i18n/", 6, p, sizeof p), VG_OK);
    CHECK_STR(p, "i18n/index.html");
    const char *no[] = {"/../x", "/a/..", "/a/./b", "/.git/config", "/a\\b", "/a b", "/a%2e"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        CHECK_EQ_INT(vg_reqparse_path(no[i], strlen(no[i]), p, sizeof p), VG_FORBIDDEN);
    CHECK_EQ_INT(vg_reqparse_path("/a\0b", 4, p, sizeof p), VG_FORBIDDEN);
    CHECK(vg_reqparse_accepts_gzip("gzip"));
    CHECK(vg_reqparse_accepts_gzip("deflate, gzip;q=0.5"));
    CHECK(!vg_reqparse_accepts_gzip("gzip;q=0"));
    CHECK(!vg_reqparse_accepts_gzip("br, deflate"));
    CHECK(!vg_reqparse_accepts_gzip("xgzip"));
    char host[64];
    unsigned port;
    CHECK_EQ_INT(vg_reqparse_listen("[::1]:8080", host, sizeof host, &port, NULL), VG_OK);
    CHECK_STR(host, "::1");
    CHECK_EQ_INT(port, 8080);
    CHECK_EQ_INT(vg_reqparse_listen("127.0.0.1:99999", host, sizeof host, &port, NULL), VG_USAGE);
}

TEST(server_auth_hash_roles_tokens)
{
    char h[VG_AUTH_HASH_MAX];
    struct vg_diag d;
    CHECK_EQ_INT(vg_auth_hash("short", 5, h, &d), VG_RANGE);
    REQUIRE(vg_auth_hash(PW, strlen(PW), h, &d) == VG_OK);
    CHECK(!strncmp(h, "$argon2id$", 10));
    CHECK(vg_auth_verify(h, PW, strlen(PW)));
    CHECK(!vg_auth_verify(h, "correct-horse-batterY", strlen(PW)));
    CHECK(!vg_auth_verify(NULL, PW, strlen(PW)));
    CHECK_EQ_INT(vg_auth_role_parse("auditor"), VG_ROLE_AUDITOR);
    CHECK_EQ_INT(vg_auth_role_parse("root"), 0);
    CHECK(vg_auth_name_ok("jean.dupont-2"));
    CHECK(!vg_auth_name_ok("Jean"));
    CHECK(!vg_auth_name_ok("-x"));
    CHECK(!vg_auth_name_ok(""));
    struct vg_auth *a;
    REQUIRE(vg_auth_new(&a) == VG_OK);
    char tok[VG_AUTH_TOKEN_LEN + 1];
    struct vg_session_info w, w2;
    REQUIRE(vg_auth_session_new(a, "op", VG_ROLE_OPERATOR, 1000, tok, &w) == VG_OK);
    CHECK_EQ_INT(strlen(tok), VG_AUTH_TOKEN_LEN);
    CHECK_EQ_INT(vg_auth_session_get(a, tok, 1000 + VG_AUTH_IDLE - 1, &w2), VG_OK);
    CHECK_STR(w2.csrf, w.csrf);
    CHECK(strcmp(tok, w.csrf) != 0);
    /* idle clock restarted by the last use, but the absolute age still ends it */
    CHECK_EQ_INT(vg_auth_session_get(a, tok, 1000 + 2 * VG_AUTH_IDLE - 2, &w2), VG_OK);
    CHECK_EQ_INT(vg_auth_session_get(a, tok, 1000 + VG_AUTH_MAX_AGE + 1, &w2), VG_AUTH);
    REQUIRE(vg_auth_session_new(a, "op", VG_ROLE_OPERATOR, 5000, tok, &w) == VG_OK);
    tok[0] = tok[0] == 'a' ? 'b' : 'a';
    CHECK_EQ_INT(vg_auth_session_get(a, tok, 5001, &w2), VG_AUTH);
    CHECK_EQ_INT(vg_auth_sessions_end_user(a, "op"), 1);
    vg_auth_free(a);
}

TEST(server_models_status_reads_gate_meta)
{
    struct vg_server *s = start("mstatus", 15);
    REQUIRE(s != NULL);
    unsigned port = vg_server_port(s);
    struct vg_diag d;
    char key[320];
    pthread_mutex_lock(&s->engine);
    vg_briefing_meta_key("published", NULL, "ASSAULT", "night", key, sizeof key);
    vg_store_meta_set(s->ctx.store, key, "kde:bandwidth=200", &d);
    vg_briefing_meta_key("gate", "kde:bandwidth=200", "ASSAULT", "night", key, sizeof key);
    vg_store_meta_set(s->ctx.store, key, "PAI 3.1 vs 2.0 \"avg\"", &d);
    vg_briefing_meta_key("baseline", NULL, "ASSAULT", "night", key, sizeof key);
    vg_store_meta_set(s->ctx.store, key, "average", &d);
    vg_briefing_meta_key("gate-why", NULL, "BURGLARY", "day", key, sizeof key);
    vg_store_meta_set(s->ctx.store, key, "no better than the baseline", &d);
    pthread_mutex_unlock(&s->engine);
    struct session an, au, ad;
    int st;
    REQUIRE(login(port, "an", PW, &an, &st));
    REQUIRE(login(port, "au", PW, &au, &st));
    REQUIRE(login(port, "ad", PW, &ad, &st));
    struct resp r;
    http(port, "GET", "/api/v1/models/status?category=ASSAULT", an.cookie, NULL, NULL, &r);
    CHECK_EQ_INT(r.status, 200);
    CHECK(r.body.p && strstr(r.body.p, "{\"category\":\"ASSAULT\",\"shift\":\"night\","
                                       "\"published\":\"kde:bandwidth=200\","
                                       "\"evidence\":\"PAI 3.1 vs 2.0 \\\"avg\\\"\","
                                       "\"baseline\":\"average\",\"refusal\":null}"));
    vg_buf_free(&r.body);
    http(port, "GET", "/api/v1/models/status?category=BURGLARY&shift=day", au.cookie, NULL, NULL, &r);
    CHECK_EQ_INT(r.status, 200);
    CHECK(r.body.p && strstr(r.body.p, "\"published\":null,\"evidence\":null,\"baseline\":null,"
                                       "\"refusal\":\"no better than the baseline\"}"));
    vg_buf_free(&r.body);
    http(port, "GET", "/api/v1/models/status", an.cookie, NULL, NULL, &r);
    CHECK_EQ_INT(r.status, 400);
    vg_buf_free(&r.body);
    http(port, "GET", "/api/v1/models/status?category=ASSAULT", ad.cookie, NULL, NULL, &r);
    CHECK_EQ_INT(r.status, 403);
    vg_buf_free(&r.body);
    vg_server_stop(s);
}

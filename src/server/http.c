/*
 * http.c — libmicrohttpd glue: one `struct vg_req` per exchange, body
 * capped while it arrives, dispatch through routes.c, then one response
 * with the security headers every response carries, gzip when the client
 * takes it; plus static files with ETag/Cache-Control and precompressed
 * .gz siblings, and the small response cache of the engine routes.
 * Memory: the request and its buffers are freed in on_completed; response
 * bodies are handed to MHD, which frees them with vg_free.
 */
#include "server/http.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "base/alloc.h"
#include "server/reqparse.h"
#include "server/routes.h"

#define STATIC_MAX (8u << 20)
#define GZIP_MIN 1024

/* No inline script or style anywhere; the map draws only our own GeoJSON.
 * blob: images are the camera wall's JPEGs, cut by wall.js from our own
 * /api/v1/wall stream. */
static const char csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

int64_t vg_http_now(void) { return (int64_t)time(NULL); }

const char *vg_req_header(const struct vg_req *r, const char *name)
{
    return r->conn ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name) : NULL;
}

const char *vg_req_arg(const struct vg_req *r, const char *name)
{
    return r->conn ? MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name) : NULL;
}

enum vg_err vg_req_error(struct vg_req *r, enum vg_err e, unsigned status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    static const char *const names[] = {
#define VG__ERR_NAME(name, num, ex, http, text) #name,
        VG_ERRORS(VG__ERR_NAME)
#undef VG__ERR_NAME
    };
    r->status = status ? status : (unsigned)vg_http_status(e);
    r->ctype = "application/json";
    r->content_encoding = NULL;
    r->etag[0] = '\0';
    vg_buf_reset(&r->out);
    enum vg_err x = vg_buf_printf(&r->out, "{\"error\":\"%s\",\"message\":",
                                  (size_t)e < sizeof names / sizeof names[0] ? names[e] : "INTERNAL");
    x = x ? x : vg_buf_json_str(&r->out, msg, strlen(msg));
    x = x ? x : vg_buf_adds(&r->out, "}\n");
    (void)x;
    return VG_OK;
}

enum vg_err vg_http_gzip(const char *in, size_t len, struct vg_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return VG_NOMEM;
    uLong bound = deflateBound(&z, (uLong)len);
    enum vg_err e = vg_buf_reserve(out, (size_t)bound + 1);
    if (e == VG_OK) {
        z.next_in = (Bytef *)(uintptr_t)in;
        z.avail_in = (uInt)len;
        z.next_out = (Bytef *)out->p + out->len;
        z.avail_out = (uInt)(out->cap - out->len);
        if (deflate(&z, Z_FINISH) != Z_STREAM_END)
            e = VG_INTERNAL;
        else
            out->len += z.total_out, out->p[out->len] = '\0';
    }
    deflateEnd(&z);
    return e;
}

/* ---- the response cache of the engine routes ---- */

int vg_cache_get(struct vg_server *s, const char *key, struct vg_buf *out)
{
    int hit = 0;
    int64_t now = vg_http_now();
    pthread_mutex_lock(&s->cache_mu);
    for (size_t i = 0; i < VG_CACHE_SLOTS && !hit; i++) {
        struct vg_cache_slot *c = &s->cache[i];
        if (c->key[0] && !strcmp(c->key, key) && now - c->at < VG_CACHE_TTL)
            hit = vg_buf_add(out, c->body.p, c->body.len) == VG_OK;
    }
    pthread_mutex_unlock(&s->cache_mu);
    return hit;
}

void vg_cache_put(struct vg_server *s, const char *key, const struct vg_buf *body)
{
    pthread_mutex_lock(&s->cache_mu);
    struct vg_cache_slot *v = &s->cache[0];
    for (size_t i = 0; i < VG_CACHE_SLOTS; i++) {
        struct vg_cache_slot *c = &s->cache[i];
        if (!c->key[0] || !strcmp(c->key, key)) {
            v = c;
            break;
        }
        if (c->at < v->at)
            v = c;
    }
    vg_buf_reset(&v->body);
    if (vg_buf_add(&v->body, body->p, body->len) == VG_OK) {
        snprintf(v->key, sizeof v->key, "%s", key);
        v->at = vg_http_now();
    } else {
        v->key[0] = '\0';
    }
    pthread_mutex_unlock(&s->cache_mu);
}

/* ---- static files ---- */

static const char *mime_of(const char *path)
{
    static const char *const map[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
        {".svg", "image/svg+xml"},             {".png", "image/png"},
        {".ico", "image/x-icon"},              {".map", "application/json"},
        {".txt", "text/plain; charset=utf-8"}, {".woff2", "font/woff2"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof map / sizeof map[0]; i++)
        if (!strcasecmp(dot, map[i][0]))
            return map[i][1];
    return "application/octet-stream";
}

static enum vg_err read_file(const char *path, const struct stat *st, struct vg_buf *out)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return VG_NOTFOUND;
    enum vg_err e = vg_buf_reserve(out, (size_t)st->st_size + 1);
    size_t got = 0;
    while (e == VG_OK && got < (size_t)st->st_size) {
        ssize_t n = read(fd, out->p + got, (size_t)st->st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            e = VG_IO;
        else
            got += (size_t)n;
    }
    close(fd);
    if (e == VG_OK)
        out->len = got, out->p[got] = '\0';
    return e;
}

enum vg_err vg_http_static(struct vg_req *r, struct vg_diag *d)
{
    (void)d;
    char rel[VG_REQPARSE_PATH_MAX + 16], full[1200], gz[1210];
    if (vg_reqparse_path(r->path, strlen(r->path), rel, sizeof rel) != VG_OK)
        return vg_req_error(r, VG_FORBIDDEN, 403, "path refused");
    /* /vendor/leaflet/ from Debian's libjs-leaflet, /tiles/ from the town's
     * own tile folder (--tiles), everything else from the web root */
    int vendor = !strncmp(rel, "vendor/leaflet/", 15);
    int tiles = !strncmp(rel, "tiles/", 6);
    if (tiles && !r->srv->tiles[0])
        return vg_req_error(r, VG_NOTFOUND, 404, "no map tiles configured (vigie serve --tiles DIR)");
    snprintf(full, sizeof full, "%s/%s",
             vendor ? r->srv->leaflet : tiles ? r->srv->tiles : r->srv->web_root,
             vendor ? rel + 15 : tiles ? rel + 6 : rel);
    struct stat st, sg;
    if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
        return vg_req_error(r, VG_NOTFOUND, 404, "no such file");
    if (st.st_size > (off_t)STATIC_MAX)
        return vg_req_error(r, VG_LIMIT, 500, "file too large to serve");
    snprintf(gz, sizeof gz, "%s.gz", full);
    int use_gz = vg_reqparse_accepts_gzip(vg_req_header(r, "Accept-Encoding")) &&
                 stat(gz, &sg) == 0 && S_ISREG(sg.st_mode) && sg.st_mtime >= st.st_mtime &&
                 sg.st_size <= (off_t)STATIC_MAX;
    const struct stat *cur = use_gz ? &sg : &st;
    snprintf(r->etag, sizeof r->etag, "\"%llx-%llx-%llx%s\"", (unsigned long long)cur->st_ino,
             (unsigned long long)cur->st_mtime, (unsigned long long)cur->st_size,
             use_gz ? "-gz" : "");
    r->ctype = mime_of(rel);
    r->cache_control = vendor || tiles ? "public, max-age=86400" : "no-cache";
    const char *inm = vg_req_header(r, "If-None-Match");
    if (inm && strstr(inm, r->etag)) {
        r->status = 304;
        return VG_OK;
    }
    enum vg_err e = read_file(use_gz ? gz : full, cur, &r->out);
    if (e)
        return vg_req_error(r, e, 404, "no such file");
    if (use_gz)
        r->content_encoding = "gzip";
    return VG_OK;
}

/* ---- libmicrohttpd ---- */

static void client_ip(struct vg_req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(r->ip, sizeof r->ip, "?");
    if (ci && ci->client_addr) {
        socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                                : sizeof(struct sockaddr_in);
        getnameinfo(ci->client_addr, len, r->ip, sizeof r->ip, NULL, 0, NI_NUMERICHOST);
    }
    const char *xff = vg_req_header(r, "X-Forwarded-For");
    if (r->srv->cfg.trust_proxy && xff && (!strcmp(r->ip, "127.0.0.1") || !strcmp(r->ip, "::1"))) {
        const char *last = strrchr(xff, ',');
        last = last ? last + 1 : xff;
        while (*last == ' ')
            last++;
        if (*last && strlen(last) < sizeof r->ip)
            snprintf(r->ip, sizeof r->ip, "%s", last);
    }
}

static int compressible(const char *ctype)
{
    return ctype && (!strncmp(ctype, "text/", 5) || !strncmp(ctype, "application/json", 16) ||
                     !strncmp(ctype, "application/geo+json", 20) || !strncmp(ctype, "image/svg", 9));
}

static void add_headers(struct vg_req *r, struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy", r->csp ? r->csp : csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (r->srv->tls_cert)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    if (r->status != 304)
        MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "application/json");
    MHD_add_response_header(resp, "Cache-Control", r->cache_control ? r->cache_control : "no-store");
    if (r->etag[0])
        MHD_add_response_header(resp, "ETag", r->etag);
    if (r->content_encoding)
        MHD_add_response_header(resp, "Content-Encoding", r->content_encoding);
    if (r->route && (r->route->roles & VG_ROLE_PUBLIC) && !strcmp(r->route->path, "/*"))
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    else if (r->content_encoding)
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    if (r->set_cookie[0])
        MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    if (r->retry_after) {
        char ra[16];
        snprintf(ra, sizeof ra, "%u", r->retry_after);
        MHD_add_response_header(resp, "Retry-After", ra);
    }
}

static enum MHD_Result respond(struct vg_req *r)
{
    if (r->status != 304 && !r->content_encoding && r->out.len >= GZIP_MIN &&
        compressible(r->ctype) && vg_reqparse_accepts_gzip(vg_req_header(r, "Accept-Encoding"))) {
        struct vg_buf z;
        vg_buf_init(&z, 0);
        if (vg_http_gzip(r->out.p, r->out.len, &z) == VG_OK) {
            vg_buf_free(&r->out);
            r->out = z;
            r->content_encoding = "gzip";
        } else {
            vg_buf_free(&z);
        }
    }
    size_t len = r->status == 304 ? 0 : r->out.len;
    struct MHD_Response *resp;
    if (r->stream_read) {
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, r->stream_read,
                                                 r->stream_cls, r->stream_free);
        if (resp == NULL)
            r->stream_free(r->stream_cls);
        r->stream_read = NULL, r->stream_cls = NULL;
    } else if (len) {
        resp = MHD_create_response_from_buffer_with_free_callback(len, r->out.p, vg_free);
        if (resp)
            r->out.p = NULL, r->out.len = r->out.cap = 0;
    } else {
        resp = MHD_create_response_from_buffer(0, (void *)(uintptr_t)"", MHD_RESPMEM_PERSISTENT);
    }
    if (resp == NULL)
        return MHD_NO;
    add_headers(r, resp);
    enum MHD_Result ok = MHD_queue_response(r->conn, r->status, resp);
    MHD_destroy_response(resp);
    if (r->srv->cfg.log_requests)
        fprintf(stderr, "%s %s %s %u %zu\n", r->ip, r->method, r->path, r->status, len);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    struct vg_server *s = cls;
    struct vg_req *r = *con_cls;
    if (r == NULL) {
        r = vg_calloc(1, sizeof *r);
        if (r == NULL)
            return MHD_NO;
        r->srv = s;
        r->conn = conn;
        r->method = method;
        r->path = url;
        vg_buf_init(&r->body, s->cfg.max_body + 1);
        vg_buf_init(&r->out, 0);
        *con_cls = r;
        client_ip(r);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > s->cfg.max_body) {
            r->body_too_large = 1; /* answer now: the body is never read */
            vg_routes_dispatch(r);
            return respond(r);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (r->body_too_large)
            return MHD_NO;
        if (r->body.len + *upload_size > s->cfg.max_body)
            return MHD_NO; /* chunked and too large: close, MHD cannot answer mid-body */
        if (vg_buf_add(&r->body, upload, *upload_size) != VG_OK)
            return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->body_too_large)
        return MHD_YES; /* already answered */
    vg_routes_dispatch(r);
    return respond(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    struct vg_req *r = *con_cls;
    if (r == NULL)
        return;
    vg_buf_free(&r->body);
    vg_buf_free(&r->out);
    vg_free(r);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fprintf(stderr, "vigie serve: ");
    vfprintf(stderr, fmt, ap);
}

enum vg_err vg_http__listen(struct vg_server *s, const char *host, unsigned port,
                            struct vg_diag *d)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE | AI_NUMERICSERV;
    hints.ai_socktype = SOCK_STREAM;
    char ps[8];
    snprintf(ps, sizeof ps, "%u", port);
    if (getaddrinfo(host[0] ? host : NULL, ps, &hints, &ai) != 0 || ai == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--listen address \"%s\" is not a numeric IPv4/IPv6 address", host);
    memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
    int v6 = ai->ai_family == AF_INET6;
    freeaddrinfo(ai);
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_POLL | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0) |
                     (s->tls_cert ? MHD_USE_TLS : 0);
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_SOCK_ADDR, 0, &ss},
        {MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)s->cfg.timeout_s, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, (intptr_t)s->cfg.max_conns, NULL},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t)(s->cfg.max_conns / 2 + 1), NULL},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 64 * 1024, NULL},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, NULL},
        {s->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, s->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key},
        {MHD_OPTION_END, 0, NULL},
    };
    s->mhd = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, s,
                              MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
                              MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (s->mhd == NULL)
        return vg_fail(d, VG_IO, "", 0, 0, "cannot listen on %s:%u: %s", host[0] ? host : "*",
                       port, strerror(errno));
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : port;
    return VG_OK;
}

void vg_http__close(struct vg_server *s)
{
    if (s->mhd)
        MHD_stop_daemon(s->mhd);
    s->mhd = NULL;
}

/*
 * reqparse.h — the pure parsing steps of an HTTP request, kept apart from
 * libmicrohttpd so they can be fuzzed (tests/fuzz/fuzz_http.c) and unit
 * tested: cookie header lookup, URL path normalisation for static files,
 * JSON bodies with limits, Accept-Encoding, the listen address.
 * None of these allocate except vg_reqparse_json, whose result the caller
 * releases with json_decref.
 */
#ifndef VG_REQPARSE_H
#define VG_REQPARSE_H

#include <jansson.h>
#include <stddef.h>

#include "base/err.h"

#define VG_REQPARSE_JSON_DEPTH 8     /* objects/arrays nested deeper fail */
#define VG_REQPARSE_PATH_MAX 256     /* longest static path accepted */

/* Find cookie `name` in a Cookie header ("a=1; b=2").  Copies its value
 * into out[cap] and returns VG_OK; VG_NOTFOUND when absent; VG_LIMIT when
 * the value does not fit; VG_PARSE when the value holds bytes outside the
 * cookie-octet set (RFC 6265 §4.1.1).  `header` may be NULL. */
enum vg_err vg_reqparse_cookie(const char *header, size_t len, const char *name,
                               char *out, size_t cap);

/* Normalise the (already percent-decoded) path of a static file request
 * into a relative path under the web root: "/" -> "index.html",
 * "/a//b.css" -> "a/b.css".  Refused (VG_FORBIDDEN): any "." or ".."
 * segment, segments starting with '.', backslashes, NUL or control bytes,
 * bytes outside [A-Za-z0-9._-/], more than VG_REQPARSE_PATH_MAX bytes. */
enum vg_err vg_reqparse_path(const char *path, size_t len, char *out,
                             size_t cap);

/* Parse a JSON request body of `len` bytes that must be one object, at most
 * `max` bytes long and VG_REQPARSE_JSON_DEPTH deep, without duplicate keys
 * or NUL in strings.  *out is a new reference (json_decref) on VG_OK;
 * otherwise NULL and `d` names the problem (VG_PARSE, VG_LIMIT). */
enum vg_err vg_reqparse_json(const char *body, size_t len, size_t max,
                             json_t **out, struct vg_diag *d);

/* String member `key` of object `o`, or NULL when absent or not a string;
 * strings longer than `max` bytes count as absent. */
const char *vg_reqparse_json_str(const json_t *o, const char *key, size_t max);

/* True when an Accept-Encoding header value accepts gzip (a "gzip" token
 * whose q is not 0). */
int vg_reqparse_accepts_gzip(const char *header);

/* Split "ADDR:PORT", "[V6]:PORT" or ":PORT" (all interfaces: "") into
 * host[cap] and *port (1..65535, or 0 meaning "any free port"). */
enum vg_err vg_reqparse_listen(const char *spec, char *host, size_t cap,
                               unsigned *port, struct vg_diag *d);

#endif

/*
 * vexport.c — signed requisition exports and offline verification.
 *
 * Manifest format (text, one "key value" per line, values single-line):
 *   vigie-export 1
 *   requisition N / procedure / officer / service / supervisor / reason
 *   from / to / created (ISO 8601 UTC) / cameras a,b
 *   pubkey <64 hex>
 *   file <sha256 hex> <bytes> <camera/name.mp4>      (one per segment)
 * manifest.sig holds the hex Ed25519 signature of manifest.txt's bytes.
 * Invariant: files are copied and fsynced before the manifest is written,
 * and the manifest before its signature, so a complete signature implies a
 * complete export.  Owns: the manifest buffer and segment list (freed).
 */
#include "video/vexport.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "video/vstore.h"
#include "video/vutil.h"

#define MANIFEST "manifest.txt"
#define SIGNATURE "manifest.sig"
#define MAX_FILES 100000

static enum vg_err read_hex_file(const char *path, uint8_t *out, size_t n,
                                 struct vg_diag *d)
{
    struct vg_buf b;
    vg_buf_init(&b, 4096);
    enum vg_err e = vg_buf_read_file(&b, path, d);
    if (e == VG_OK && (b.len < 2 * n || vg_vutil_unhex(b.p, out, n) != VG_OK))
        e = vg_fail(d, VG_PARSE, path, 1, 1, "expected %zu hex digits", 2 * n);
    vg_buf_free(&b);
    return e;
}

static enum vg_err create_keys(const char *skp, const char *pkp,
                               uint8_t *pk, uint8_t *sk, struct vg_diag *d)
{
    char hex[2 * crypto_sign_SECRETKEYBYTES + 2];
    crypto_sign_keypair(pk, sk);
    vg_vutil_hex(sk, crypto_sign_SECRETKEYBYTES, hex);
    hex[2 * crypto_sign_SECRETKEYBYTES] = '\n';
    hex[2 * crypto_sign_SECRETKEYBYTES + 1] = '\0';
    int fd = open(skp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return vg_fail(d, VG_IO, skp, 0, 0, "create key: %s", strerror(errno));
    ssize_t w = write(fd, hex, strlen(hex));
    int ok = w == (ssize_t)strlen(hex) && fsync(fd) == 0;
    close(fd);
    sodium_memzero(hex, sizeof hex);
    if (!ok) {
        unlink(skp);
        return vg_fail(d, VG_IO, skp, 0, 0, "write key failed");
    }
    vg_vutil_hex(pk, crypto_sign_PUBLICKEYBYTES, hex);
    return vg_vutil_write_atomic(pkp, hex, strlen(hex), 0644, d);
}

enum vg_err vg_vexport_keys(const char *db_path,
                            uint8_t pk[crypto_sign_PUBLICKEYBYTES],
                            uint8_t sk[crypto_sign_SECRETKEYBYTES],
                            struct vg_diag *d)
{
    char skp[4096], pkp[4096];
    struct stat sb;
    if (sodium_init() < 0)
        return vg_fail(d, VG_INTERNAL, "", 0, 0, "libsodium init failed");
    snprintf(skp, sizeof skp, "%s.ed25519.key", db_path);
    snprintf(pkp, sizeof pkp, "%s.ed25519.pub", db_path);
    if (stat(skp, &sb) != 0)
        return create_keys(skp, pkp, pk, sk, d);
    if ((sb.st_mode & 077) != 0)
        return vg_fail(d, VG_FORBIDDEN, skp, 0, 0,
                       "signing key is readable by others (mode %03o); "
                       "expected 0600", (unsigned)(sb.st_mode & 0777));
    enum vg_err e = read_hex_file(skp, sk, crypto_sign_SECRETKEYBYTES, d);
    if (e == VG_OK)
        crypto_sign_ed25519_sk_to_pk(pk, sk);
    return e;
}

/* "key value\n" with newlines in the value flattened to spaces. */
static enum vg_err kv(struct vg_buf *b, const char *key, const char *val)
{
    enum vg_err e = vg_buf_printf(b, "%s ", key);
    for (const char *p = val; e == VG_OK && *p; p++)
        e = vg_buf_addc(b, *p == '\n' || *p == '\r' ? ' ' : *p);
    return e == VG_OK ? vg_buf_addc(b, '\n') : e;
}

static enum vg_err manifest_head(struct vg_buf *m, const struct vg_vreq *r,
                                 const uint8_t *pk, int64_t now_ms)
{
    char t[32], hex[2 * crypto_sign_PUBLICKEYBYTES + 1], cams[VG_VIDEO_MAX_CAMS * 65];
    size_t off = 0;
    cams[0] = '\0';
    for (size_t i = 0; i < r->ncams; i++)
        off += (size_t)snprintf(cams + off, sizeof cams - off, "%s%s",
                                i ? "," : "", r->cams[i]);
    enum vg_err e = vg_buf_printf(m, "vigie-export 1\nrequisition %lld\n",
                                  (long long)r->id);
    if (e == VG_OK) e = kv(m, "procedure", r->procedure);
    if (e == VG_OK) e = kv(m, "officer", r->officer);
    if (e == VG_OK) e = kv(m, "service", r->service);
    if (e == VG_OK) e = kv(m, "supervisor", r->supervisor);
    if (e == VG_OK) e = kv(m, "reason", r->reason);
    vg_vutil_fmt_time(r->from_ms, t, sizeof t);
    if (e == VG_OK) e = kv(m, "from", t);
    vg_vutil_fmt_time(r->to_ms, t, sizeof t);
    if (e == VG_OK) e = kv(m, "to", t);
    vg_vutil_fmt_time(now_ms, t, sizeof t);
    if (e == VG_OK) e = kv(m, "created", t);
    if (e == VG_OK) e = kv(m, "cameras", cams);
    vg_vutil_hex(pk, crypto_sign_PUBLICKEYBYTES, hex);
    if (e == VG_OK) e = kv(m, "pubkey", hex);
    return e;
}

static enum vg_err check_out_dir(const char *dir, struct vg_diag *d)
{
    DIR *dp = opendir(dir);
    if (dp == NULL)
        return errno == ENOENT ? vg_vutil_mkdirs(dir, d)
                               : vg_fail(d, VG_IO, dir, 0, 0, "%s",
                                         strerror(errno));
    struct dirent *de;
    int empty = 1;
    while ((de = readdir(dp)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, ".."))
            empty = 0;
    closedir(dp);
    return empty ? VG_OK
                 : vg_fail(d, VG_EXISTS, dir, 0, 0,
                           "export directory is not empty");
}

/* Copy one segment, check it against the store's hash, add its line. */
static enum vg_err export_one(sqlite3 *db, const struct vg_vseg *s,
                              const struct vg_vreq *r, const char *out_dir,
                              struct vg_buf *m, int64_t now_ms,
                              struct vg_diag *d)
{
    char dir[4096], to[4700], hex[65], detail[600];
    const char *base = strrchr(s->path, '/');
    base = base ? base + 1 : s->path;
    snprintf(dir, sizeof dir, "%s/%s", out_dir, s->camera);
    enum vg_err e = vg_vutil_mkdirs(dir, d);
    snprintf(to, sizeof to, "%s/%s", dir, base);
    int64_t size = 0;
    if (e == VG_OK)
        e = vg_vutil_copy_file(s->path, to, d);
    if (e == VG_OK)
        e = vg_vutil_sha256_file(to, hex, &size, d);
    if (e == VG_OK && strcmp(hex, s->sha256) != 0)
        e = vg_fail(d, VG_INTEGRITY, s->path, 0, 0,
                    "recorded segment changed since it was written (sha256 "
                    "%s, store says %s)", hex, s->sha256);
    if (e == VG_OK)
        e = vg_buf_printf(m, "file %s %lld %s/%s\n", hex, (long long)size,
                          s->camera, base);
    snprintf(detail, sizeof detail,
             "to %s (%s), procedure %s, requisition %lld, %.80s", r->officer,
             r->service, r->procedure, (long long)r->id, base);
    if (e == VG_OK)
        e = vg_vstore_reg_add(db, now_ms, "transmitted", s->cam_id, s->id,
                              detail, d);
    return e;
}

enum vg_err vg_vexport_run(sqlite3 *db, const char *db_path, int64_t req_id,
                           const char *out_dir, int64_t now_ms,
                           size_t *nfiles, struct vg_diag *d)
{
    struct vg_vreq r;
    struct vg_buf m;
    struct vg_vseg *segs = NULL;
    size_t n = 0;
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    uint8_t sig[crypto_sign_BYTES];
    char path[4200], sighex[2 * crypto_sign_BYTES + 2];
    *nfiles = 0;
    vg_buf_init(&m, 64u << 20);
    enum vg_err e = vg_vstore_req_get(db, req_id, &r, d);
    if (e == VG_OK) e = vg_vexport_keys(db_path, pk, sk, d);
    if (e == VG_OK) e = check_out_dir(out_dir, d);
    if (e == VG_OK) e = manifest_head(&m, &r, pk, now_ms);
    for (size_t c = 0; c < r.ncams && e == VG_OK; c++) {
        e = vg_vstore_seg_list(db, r.cams[c], r.from_ms, r.to_ms, 0, &segs, &n,
                               d);
        for (size_t i = 0; i < n && e == VG_OK; i++, (*nfiles)++)
            e = export_one(db, &segs[i], &r, out_dir, &m, now_ms, d);
        vg_free(segs);
        segs = NULL;
    }
    snprintf(path, sizeof path, "%s/" MANIFEST, out_dir);
    if (e == VG_OK)
        e = vg_vutil_write_atomic(path, m.p, m.len, 0644, d);
    if (e == VG_OK) {
        crypto_sign_detached(sig, NULL, (const uint8_t *)m.p, m.len, sk);
        vg_vutil_hex(sig, sizeof sig, sighex);
        sighex[2 * crypto_sign_BYTES] = '\n';
        snprintf(path, sizeof path, "%s/" SIGNATURE, out_dir);
        e = vg_vutil_write_atomic(path, sighex, 2 * crypto_sign_BYTES + 1,
                                  0644, d);
    }
    sodium_memzero(sk, sizeof sk);
    vg_buf_free(&m);
    return e;
}

struct listed {
    char **path;
    size_t n;
};

static int is_listed(const struct listed *l, const char *rel)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->path[i], rel) == 0)
            return 1;
    return 0;
}

/* Report regular files under dir/rel that the manifest does not list. */
static void walk_unlisted(const char *dir, const char *rel, int depth,
                          const struct listed *l, struct vg_buf *rep,
                          int *bad)
{
    char full[4096], sub[1024];
    snprintf(full, sizeof full, "%s%s%s", dir, rel[0] ? "/" : "", rel);
    DIR *dp = opendir(full);
    struct dirent *de;
    if (dp == NULL)
        return;
    while ((de = readdir(dp)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
        if (!rel[0] && (strcmp(sub, MANIFEST) == 0 || strcmp(sub, SIGNATURE) == 0))
            continue;
        struct stat sb;
        snprintf(full, sizeof full, "%s/%s", dir, sub);
        if (lstat(full, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode) && depth < 4)
            walk_unlisted(dir, sub, depth + 1, l, rep, bad);
        else if (!S_ISDIR(sb.st_mode) && !is_listed(l, sub)) {
            vg_buf_printf(rep, "BAD %s: not in the manifest\n", sub);
            *bad = 1;
        }
    }
    closedir(dp);
}

static int safe_rel(const char *rel)
{
    return rel[0] && rel[0] != '/' && strstr(rel, "..") == NULL;
}

/* Check one "file SHA BYTES REL" line. */
static enum vg_err check_file(const char *dir, const char *line,
                              struct listed *l, struct vg_buf *rep, int *bad)
{
    char sha[65], rel[1024], got[65], full[4200];
    long long bytes;
    int64_t size = 0;
    if (sscanf(line, "file %64s %lld %1023s", sha, &bytes, rel) != 3 ||
        !safe_rel(rel)) {
        *bad = 1;
        return vg_buf_printf(rep, "BAD manifest.txt: malformed line \"%.80s\"\n",
                             line);
    }
    char **np = vg_reallocarray(l->path, l->n + 1, sizeof *np);
    if (np == NULL)
        return VG_NOMEM;
    l->path = np;
    if ((l->path[l->n] = vg_strdup(rel)) == NULL)
        return VG_NOMEM;
    l->n++;
    snprintf(full, sizeof full, "%s/%s", dir, rel);
    struct vg_diag d2;
    if (vg_vutil_sha256_file(full, got, &size, &d2) != VG_OK) {
        *bad = 1;
        return vg_buf_printf(rep, "BAD %s: missing or unreadable\n", rel);
    }
    if (strcmp(got, sha) != 0 || size != bytes) {
        *bad = 1;
        return vg_buf_printf(rep, "BAD %s: sha256 %s (%lld bytes), manifest "
                             "says %s (%lld bytes)\n", rel, got,
                             (long long)size, sha, bytes);
    }
    return vg_buf_printf(rep, "ok  %s\n", rel);
}

static enum vg_err check_signature(const char *dir, const struct vg_buf *m,
                                   const char *pubkey_hex,
                                   struct vg_buf *rep, int *bad)
{
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
    char path[4200];
    struct vg_diag d2;
    const char *line = strstr(m->p, "\npubkey ");
    const char *hex = pubkey_hex ? pubkey_hex : line ? line + 8 : NULL;
    if (hex == NULL || vg_vutil_unhex(hex, pk, sizeof pk) != VG_OK) {
        *bad = 1;
        return vg_buf_printf(rep, "BAD manifest.txt: no valid public key\n");
    }
    snprintf(path, sizeof path, "%s/" SIGNATURE, dir);
    if (read_hex_file(path, sig, sizeof sig, &d2) != VG_OK) {
        *bad = 1;
        return vg_buf_printf(rep, "BAD " SIGNATURE ": %s\n", d2.msg);
    }
    if (crypto_sign_verify_detached(sig, (const uint8_t *)m->p, m->len, pk)) {
        *bad = 1;
        return vg_buf_printf(rep, "BAD manifest.txt: Ed25519 signature does "
                             "not match%s\n",
                             pubkey_hex ? " the trusted key" : "");
    }
    return vg_buf_printf(rep, "ok  manifest.txt signature (key %.16s...%s)\n",
                         hex, pubkey_hex ? ", trusted" : ", from the manifest");
}

enum vg_err vg_vexport_verify(const char *dir, const char *pubkey_hex,
                              struct vg_buf *report, struct vg_diag *d)
{
    struct vg_buf m;
    struct listed l = {NULL, 0};
    char path[4200];
    int bad = 0;
    if (sodium_init() < 0)
        return vg_fail(d, VG_INTERNAL, "", 0, 0, "libsodium init failed");
    vg_buf_init(&m, 64u << 20);
    snprintf(path, sizeof path, "%s/" MANIFEST, dir);
    enum vg_err e = vg_buf_read_file(&m, path, d);
    if (e == VG_OK && strncmp(m.p, "vigie-export 1\n", 15) != 0)
        e = vg_fail(d, VG_PARSE, path, 1, 1, "not a vigie export manifest");
    if (e == VG_OK)
        e = check_signature(dir, &m, pubkey_hex, report, &bad);
    for (char *p = m.p; e == VG_OK && p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (strncmp(p, "file ", 5) == 0)
            e = l.n < MAX_FILES ? check_file(dir, p, &l, report, &bad)
                                : vg_fail(d, VG_LIMIT, path, 0, 0,
                                          "more than %d files", MAX_FILES);
        p = nl ? nl + 1 : NULL;
    }
    if (e == VG_OK)
        walk_unlisted(dir, "", 0, &l, report, &bad);
    if (e == VG_OK && bad)
        e = vg_fail(d, VG_INTEGRITY, dir, 0, 0,
                    "export does not verify (see the BAD lines)");
    for (size_t i = 0; i < l.n; i++)
        vg_free(l.path[i]);
    vg_free(l.path);
    vg_buf_free(&m);
    return e;
}

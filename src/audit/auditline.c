/*
 * auditline.c — the textual form of an audit record: checking and parsing
 * one line, hex and UTC time helpers.
 *
 * Invariant checked here: a line is `{...,"prev":"<hex>"` followed by the
 * fixed suffix `,"hash":"<64 lowercase hex>"}\n`, the hash is the SHA-256
 * of everything before the suffix, and prefix + "}" is a JSON object with
 * exactly the members of auditlog.h in that order.  The hash is checked
 * before the JSON is parsed so that any altered byte is reported as a hash
 * mismatch of the line that holds it.  Parsed strings are owned by the
 * jansson tree in `struct audit__parsed`.
 */
#include "audit/audit_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/hex.h"
#include "base/tz.h"

void audit__hex(const unsigned char *p, size_t n, char *out)
{
    vg_hex_encode(p, n, out);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int audit__unhex(const char *s, unsigned char *out, size_t n)
{
    if (s == NULL || strlen(s) != 2 * n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

int audit__is_hex64(const char *s)
{
    unsigned char tmp[32];
    return audit__unhex(s, tmp, 32) == 0;
}

void audit__fmt_time(int64_t t, char out[24])
{
    vg_utc_iso(t, out);
}

int audit__parse_time(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, se, n = 0;
    if (s == NULL || strlen(s) != 20 ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se,
               &n) != 6 || n != 20)
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    *out = (int64_t)timegm(&tm);
    return 0;
}

size_t audit__sign_msg(int64_t seq, const char *hash, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s %lld %s", AUDIT__SIGN_MSG, (long long)seq,
                     hash);
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

void audit__parsed_free(struct audit__parsed *p)
{
    if (p == NULL)
        return;
    json_decref(p->root);
    p->root = NULL;
}

/* Structure and hash of the raw bytes. */
static enum vg_audit_fault check_raw(const char *line, size_t len,
                                     char *hash, char *why, size_t cap)
{
    if (len == 0 || line[len - 1] != '\n') {
        snprintf(why, cap, "line does not end with a newline (truncated, "
                 "or longer than %d bytes)", VG_AUDIT_LINE_MAX);
        return VG_AUDIT_FAULT_TRUNCATED;
    }
    if (len < AUDIT__SUFFIX_LEN + 2) {
        snprintf(why, cap, "line of %zu bytes is too short for a record", len);
        return VG_AUDIT_FAULT_MALFORMED;
    }
    const char *suf = line + len - AUDIT__SUFFIX_LEN;
    if (memcmp(suf, AUDIT__HASH_TAG, AUDIT__HASH_TAG_LEN) != 0 ||
        memcmp(suf + AUDIT__HASH_TAG_LEN + 64, "\"}\n", 3) != 0) {
        snprintf(why, cap, "line does not end with ,\"hash\":\"<64 hex>\"}");
        return VG_AUDIT_FAULT_MALFORMED;
    }
    memcpy(hash, suf + AUDIT__HASH_TAG_LEN, 64);
    hash[64] = '\0';
    unsigned char md[32];
    char want[VG_AUDIT_HEX];
    crypto_hash_sha256(md, (const unsigned char *)line,
                       (unsigned long long)(len - AUDIT__SUFFIX_LEN));
    audit__hex(md, 32, want);
    if (memcmp(want, hash, 64) != 0) {
        snprintf(why, cap, "stored hash %.16s… but the line hashes to %.16s…",
                 hash, want);
        return VG_AUDIT_FAULT_HASH;
    }
    return VG_AUDIT_FAULT_NONE;
}

static const char *const member[] = {"seq", "time", "user", "role", "action",
                                     "object", "purpose", "details", "prev"};

/* Members present, in order, with the right types. */
static int check_members(json_t *root, char *why, size_t cap)
{
    size_t i = 0;
    const char *k;
    json_t *v;
    if (json_object_size(root) != sizeof member / sizeof member[0]) {
        snprintf(why, cap, "record has %zu members, expected %zu",
                 json_object_size(root), sizeof member / sizeof member[0]);
        return -1;
    }
    json_object_foreach(root, k, v) {
        if (strcmp(k, member[i]) != 0) {
            snprintf(why, cap, "member %zu is \"%s\", expected \"%s\"", i + 1,
                     k, member[i]);
            return -1;
        }
        int ok = i == 0 ? json_is_integer(v)
                 : i == 7 ? json_is_object(v) : json_is_string(v);
        if (!ok) {
            snprintf(why, cap, "member \"%s\" has the wrong type", k);
            return -1;
        }
        i++;
    }
    return 0;
}

static enum vg_audit_fault fill_sign(struct audit__parsed *out, char *why,
                                     size_t cap)
{
    json_t *det = json_object_get(out->root, "details");
    json_t *hs = json_object_get(det, "head_seq");
    out->head_hash = json_string_value(json_object_get(det, "head_hash"));
    out->key = json_string_value(json_object_get(det, "key"));
    out->sig = json_string_value(json_object_get(det, "sig"));
    if (!json_is_integer(hs) || out->head_hash == NULL || out->key == NULL ||
        out->sig == NULL) {
        snprintf(why, cap, "sign record lacks head_seq, head_hash, key or sig");
        return VG_AUDIT_FAULT_MALFORMED;
    }
    out->head_seq = json_integer_value(hs);
    return VG_AUDIT_FAULT_NONE;
}

enum vg_audit_fault audit__parse_line(const char *line, size_t len,
                                      struct audit__parsed *out, char *why,
                                      size_t cap)
{
    memset(out, 0, sizeof *out);
    enum vg_audit_fault f = check_raw(line, len, out->hash, why, cap);
    if (f != VG_AUDIT_FAULT_NONE)
        return f;
    size_t plen = len - AUDIT__SUFFIX_LEN;
    char *txt = vg_malloc(plen + 2);
    if (txt == NULL) {
        snprintf(why, cap, "out of memory");
        return VG_AUDIT_FAULT_MALFORMED;
    }
    memcpy(txt, line, plen);
    txt[plen] = '}';
    json_error_t je;
    out->root = json_loadb(txt, plen + 1, JSON_REJECT_DUPLICATES, &je);
    vg_free(txt);
    if (out->root == NULL || !json_is_object(out->root)) {
        snprintf(why, cap, "not JSON: %s (column %d)",
                 out->root ? "not an object" : je.text, je.column);
        audit__parsed_free(out);
        return VG_AUDIT_FAULT_MALFORMED;
    }
    if (check_members(out->root, why, cap) != 0)
        goto bad;
    json_t *r = out->root;
    struct vg_audit_rec *rec = &out->rec;
    rec->seq = json_integer_value(json_object_get(r, "seq"));
    rec->user = json_string_value(json_object_get(r, "user"));
    rec->role = json_string_value(json_object_get(r, "role"));
    rec->action = json_string_value(json_object_get(r, "action"));
    rec->object = json_string_value(json_object_get(r, "object"));
    rec->purpose = json_string_value(json_object_get(r, "purpose"));
    rec->details = NULL; /* callers dump it when they need the text */
    const char *prev = json_string_value(json_object_get(r, "prev"));
    if (audit__parse_time(json_string_value(json_object_get(r, "time")),
                          &rec->time) != 0 || !audit__is_hex64(prev)) {
        snprintf(why, cap, "bad \"time\" or \"prev\" value");
        goto bad;
    }
    memcpy(out->prev, prev, VG_AUDIT_HEX);
    out->is_sign = strcmp(rec->action, "sign") == 0;
    if (out->is_sign && fill_sign(out, why, cap) != VG_AUDIT_FAULT_NONE)
        goto bad;
    return VG_AUDIT_FAULT_NONE;
bad:
    audit__parsed_free(out);
    return VG_AUDIT_FAULT_MALFORMED;
}

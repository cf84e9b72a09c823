/*
 * audit_int.h — helpers shared by the files of src/audit/ (not public).
 */
#ifndef VG_AUDIT_INT_H
#define VG_AUDIT_INT_H

#include <jansson.h>
#include <stdint.h>

#include "audit/auditlog.h"

#define AUDIT__HASH_TAG ",\"hash\":\""
#define AUDIT__HASH_TAG_LEN 9
/* ,"hash":" + 64 hex + "}\n */
#define AUDIT__SUFFIX_LEN (AUDIT__HASH_TAG_LEN + 64 + 3)
#define AUDIT__ZERO_HASH                                                      \
    "0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT__SIGN_MSG "vigie-audit-v1"

/* A parsed line; `root` owns the strings in `rec`. */
struct audit__parsed {
    json_t *root;
    struct vg_audit_rec rec;
    char prev[VG_AUDIT_HEX], hash[VG_AUDIT_HEX];
    int is_sign;
    int64_t head_seq;                  /* sign records only */
    const char *head_hash, *key, *sig; /* sign records only */
};

/* Check one line (with its '\n'): structure, then hash, then JSON.  Returns
 * VG_AUDIT_FAULT_NONE and fills `out` (free with audit__parsed_free), or a
 * fault (TRUNCATED, MALFORMED, HASH) with `why` explained. */
enum vg_audit_fault audit__parse_line(const char *line, size_t len,
                                      struct audit__parsed *out, char *why,
                                      size_t cap);
void audit__parsed_free(struct audit__parsed *p);

/* Lowercase hex of n bytes into out (2n+1). */
void audit__hex(const unsigned char *p, size_t n, char *out);
/* Decode exactly 2n lowercase hex digits; 0 on success. */
int audit__unhex(const char *s, unsigned char *out, size_t n);
/* 1 if s is exactly 64 lowercase hex digits. */
int audit__is_hex64(const char *s);
/* "YYYY-MM-DDTHH:MM:SSZ" both ways. */
void audit__fmt_time(int64_t t, char out[24]);
int audit__parse_time(const char *s, int64_t *out);
/* The signed message for head (seq, hash) into out; returns its length. */
size_t audit__sign_msg(int64_t seq, const char *hash, char *out, size_t cap);

/* File back end over "PATH" with anchor "PATH.head". */
extern const struct vg_audit_backend_ops audit__file_ops;
enum vg_err audit__file_new(const char *path, int read_only, void **out,
                            struct vg_diag *d);

/* Key pair files key_base.key / key_base.pub: load, creating if `create`. */
enum vg_err audit__load_keys(const char *key_base, int create,
                             unsigned char pk[32], unsigned char sk[64],
                             struct vg_diag *d);
enum vg_err audit__load_pub(const char *key_base, unsigned char pk[32],
                            struct vg_diag *d);

/* Signed-head anchor text: "sign_seq sign_hash head_seq head_hash sig\n". */
struct audit__head {
    int64_t sign_seq, head_seq;
    char sign_hash[VG_AUDIT_HEX], head_hash[VG_AUDIT_HEX];
    char sig[129];
};
int audit__head_parse(const char *text, struct audit__head *h);

/* Retention checkpoint text: "base_seq base_hash time sig\n" — records 1 to
 * base_seq were removed; base_hash is record base_seq's hash; sig signs
 * "vigie-audit-base-v1 base_seq base_hash time" (time = UTC seconds of the
 * cut).  See auditprune.c. */
#define AUDIT__BASE_MSG "vigie-audit-base-v1"
struct audit__base {
    int64_t seq, time;
    char hash[VG_AUDIT_HEX];
    char sig[129];
};
int audit__base_parse(const char *text, struct audit__base *b);
size_t audit__base_msg(const struct audit__base *b, char *out, size_t cap);
/* 1 if the checkpoint's signature verifies under pk. */
int audit__base_ok(const struct audit__base *b, const unsigned char *pk);

/* The back end of an open trail (for the readers in auditread.c). */
void audit__backend(struct vg_audit *a, const struct vg_audit_backend_ops **ops,
                    void **self);

/* What a verification pass learnt about one record (for the pruner): its
 * hash and the offset of the line after it.  seq = 0: nothing asked. */
struct audit__probe {
    int64_t seq;
    int found;
    char hash[VG_AUDIT_HEX];
    uint64_t next_off; /* offset of record seq + 1 (0 if none) */
    int64_t first_seq; /* first record present in the trail */
};

/* Verification under the caller's lock (the back end's lock is not
 * re-entrant).  `anchor`: an external signed head (vg_audit_anchor's
 * text) the trail must still contain, or NULL.  `probe` may be NULL. */
enum vg_err audit__verify_locked(const struct vg_audit_backend_ops *ops,
                                 void *self, const unsigned char *pk,
                                 int allow_unsigned_tail, const char *anchor,
                                 struct vg_audit_report *r,
                                 struct audit__probe *probe,
                                 struct vg_diag *d);

/* Verification over any back end with public key `pk` (NULL = none). */
enum vg_err audit__verify_backend(const struct vg_audit_backend_ops *ops,
                                  void *self, const unsigned char *pk,
                                  int allow_unsigned_tail, const char *anchor,
                                  struct vg_audit_report *r,
                                  struct vg_diag *d);
/* The file trail of store `db_path` (vg_audit_verify, with an anchor). */
enum vg_err audit__verify_file(const char *db_path, int allow_unsigned_tail,
                               const char *anchor, struct vg_audit_report *r,
                               struct vg_diag *d);

#endif

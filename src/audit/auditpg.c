/*
 * auditpg.c — the audit trail of a PostgreSQL store: the same lines as the
 * file back end, one per row of the append-only table `audit_trail`, and
 * the choice between file and table from the store's URL.
 *
 *   audit_trail(pos bigint PRIMARY KEY, line text NOT NULL)   pos = 1, 2, ...
 *   audit_head(id integer PRIMARY KEY CHECK (id = 1), text text NOT NULL)
 *
 *   audit_base(id integer PRIMARY KEY CHECK (id = 1), keep_from bigint NOT NULL,
 *              text text NOT NULL)     the retention checkpoint (auditprune.c)
 *
 * Triggers refuse UPDATE, TRUNCATE and DELETE on audit_trail, except the
 * DELETE of rows before audit_base.keep_from (records a retention
 * checkpoint covers); audit_base can only move forward and cannot be
 * deleted.  A superuser can still drop the triggers: the hash chain and
 * the signatures (the checkpoint's included) are what detect that.  Writers serialise with a session advisory lock around "read the
 * tail, insert" (the file back end's flock); each insert commits on its own
 * (autocommit), independent of any store transaction, on the trail's own
 * connection.  The key pair stays in files, outside the database:
 * vg_store_side_path(url, ".audit") + ".key"/".pub".  The "offset" handed to
 * scan callbacks is `pos`.  Memory: struct apg owns its connection.
 */
#include "audit/audit_int.h"

#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store.h"

#define APG_LOCK_KEY "7617152" /* advisory lock id of the trail */

struct apg {
    PGconn *c;
    int exists;   /* 0: read-only open of a database without a trail */
    int has_base; /* the audit_base table exists (older trails lack it) */
    char url[512];
};

static const char *const apg_schema =
    "SELECT pg_advisory_xact_lock(7617151);"
    "CREATE TABLE IF NOT EXISTS audit_trail(pos bigint PRIMARY KEY, line text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS audit_head(id integer PRIMARY KEY CHECK (id = 1),"
    " text text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS audit_base(id integer PRIMARY KEY CHECK (id = 1),"
    " keep_from bigint NOT NULL, text text NOT NULL);"
    "CREATE OR REPLACE FUNCTION audit_trail_refuse() RETURNS trigger LANGUAGE plpgsql AS"
    " $$BEGIN"
    " IF TG_OP = 'DELETE' THEN"
    "  IF OLD.pos < coalesce((SELECT keep_from FROM audit_base WHERE id = 1), 0) THEN"
    "   RETURN OLD; END IF; END IF;"
    " RAISE EXCEPTION 'audit_trail is append-only: % refused', TG_OP; END$$;"
    "CREATE OR REPLACE FUNCTION audit_base_guard() RETURNS trigger LANGUAGE plpgsql AS"
    " $$BEGIN"
    " IF TG_OP = 'UPDATE' THEN IF NEW.keep_from >= OLD.keep_from THEN RETURN NEW; END IF; END IF;"
    " RAISE EXCEPTION 'audit_base only moves forward: % refused', TG_OP; END$$;"
    "CREATE OR REPLACE TRIGGER audit_base_forward BEFORE UPDATE OR DELETE ON audit_base"
    " FOR EACH ROW EXECUTE FUNCTION audit_base_guard();"
    "CREATE OR REPLACE TRIGGER audit_base_no_truncate BEFORE TRUNCATE ON audit_base"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_base_guard();"
    "CREATE OR REPLACE TRIGGER audit_trail_no_change BEFORE UPDATE OR DELETE ON audit_trail"
    " FOR EACH ROW EXECUTE FUNCTION audit_trail_refuse();"
    "CREATE OR REPLACE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuse();"
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_trail FROM PUBLIC;"
    "REVOKE DELETE, TRUNCATE ON audit_base FROM PUBLIC;";

static enum vg_err apg_fail(struct apg *a, struct vg_diag *d, const char *what,
                            const PGresult *r)
{
    const char *msg = r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r)
                                                    : PQerrorMessage(a->c);
    char m[300];
    snprintf(m, sizeof m, "%s", msg ? msg : "?");
    size_t n = strlen(m);
    while (n && m[n - 1] == '\n')
        m[--n] = '\0';
    return vg_fail(d, VG_IO, a->url, 0, 0, "audit trail: %s: %s", what, m);
}

/* Run sql with up to 2 text parameters; result returned on success. */
static PGresult *apg_run(struct apg *a, const char *what, const char *sql,
                         int n, const char *p1, const char *p2, struct vg_diag *d)
{
    const char *v[2] = {p1, p2};
    PGresult *r = n ? PQexecParams(a->c, sql, n, NULL, v, NULL, NULL, 0)
                    : PQexec(a->c, sql);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
        return r;
    apg_fail(a, d, what, r);
    PQclear(r);
    return NULL;
}

static enum vg_err apg_cmd(struct apg *a, const char *what, const char *sql,
                           int n, const char *p1, const char *p2, struct vg_diag *d)
{
    PGresult *r = apg_run(a, what, sql, n, p1, p2, d);
    PQclear(r);
    return r ? VG_OK : VG_IO;
}

static enum vg_err apg_lock(void *self, struct vg_diag *d)
{
    struct apg *a = self;
    return a->exists ? apg_cmd(a, "lock", "SELECT pg_advisory_lock(" APG_LOCK_KEY ")", 0,
                               NULL, NULL, d)
                     : VG_OK;
}

static void apg_unlock(void *self)
{
    struct apg *a = self;
    if (a->exists)
        apg_cmd(a, "unlock", "SELECT pg_advisory_unlock(" APG_LOCK_KEY ")", 0, NULL, NULL, NULL);
}

static enum vg_err apg_version(void *self, uint64_t *out, struct vg_diag *d)
{
    struct apg *a = self;
    *out = 0;
    if (!a->exists)
        return VG_OK;
    PGresult *r = apg_run(a, "version", "SELECT coalesce(max(pos), 0) FROM audit_trail", 0,
                          NULL, NULL, d);
    if (r == NULL)
        return VG_IO;
    *out = strtoull(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return VG_OK;
}

static enum vg_err apg_last_line(void *self, char *buf, size_t *len, struct vg_diag *d)
{
    struct apg *a = self;
    *len = 0;
    if (!a->exists)
        return VG_OK;
    PGresult *r = apg_run(a, "last record", "SELECT line FROM audit_trail ORDER BY pos DESC LIMIT 1",
                          0, NULL, NULL, d);
    if (r == NULL)
        return VG_IO;
    enum vg_err e = VG_OK;
    if (PQntuples(r) == 1) {
        size_t n = (size_t)PQgetlength(r, 0, 0);
        if (n > VG_AUDIT_LINE_MAX)
            e = vg_fail(d, VG_INTEGRITY, a->url, 0, 0, "last record is longer than %d bytes",
                        VG_AUDIT_LINE_MAX);
        else {
            memcpy(buf, PQgetvalue(r, 0, 0), n);
            *len = n;
        }
    }
    PQclear(r);
    return e;
}

static enum vg_err apg_append(void *self, const char *line, size_t len, struct vg_diag *d)
{
    struct apg *a = self;
    char *copy = vg_strndup(line, len);
    if (copy == NULL)
        return vg_fail(d, VG_NOMEM, a->url, 0, 0, "no memory");
    enum vg_err e = apg_cmd(a, "append",
                            "INSERT INTO audit_trail(pos, line)"
                            " SELECT coalesce(max(pos), 0) + 1, $1 FROM audit_trail",
                            1, copy, NULL, d);
    vg_free(copy);
    return e;
}

static enum vg_err apg_sync(void *self, struct vg_diag *d)
{
    (void)self; /* every insert committed (synchronous_commit of the server) */
    (void)d;
    return VG_OK;
}

static enum vg_err apg_scan(void *self, int (*cb)(void *, const char *, size_t, uint64_t),
                            void *ctx, struct vg_diag *d)
{
    struct apg *a = self;
    enum vg_err e = VG_OK;
    int stop = 0;
    if (!a->exists)
        return VG_OK;
    if (!PQsendQuery(a->c, "SELECT pos, line FROM audit_trail ORDER BY pos") ||
        !PQsetSingleRowMode(a->c))
        return apg_fail(a, d, "scan", NULL);
    PGresult *r;
    while ((r = PQgetResult(a->c)) != NULL) { /* rows one by one, then drain */
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE && !stop && e == VG_OK)
            stop = cb(ctx, PQgetvalue(r, 0, 1), (size_t)PQgetlength(r, 0, 1),
                      strtoull(PQgetvalue(r, 0, 0), NULL, 10)) != 0;
        else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && e == VG_OK)
            e = apg_fail(a, d, "scan", r);
        PQclear(r);
    }
    return e;
}

static enum vg_err apg_put_head(void *self, const char *text, struct vg_diag *d)
{
    struct apg *a = self;
    return apg_cmd(a, "signed head",
                   "INSERT INTO audit_head(id, text) VALUES(1, $1)"
                   " ON CONFLICT(id) DO UPDATE SET text = EXCLUDED.text", 1, text, NULL, d);
}

/* The one-row text of audit_head / audit_base ("" when none). */
static enum vg_err apg_get_text(struct apg *a, int present, const char *what,
                                const char *sql, char *buf, size_t cap, struct vg_diag *d)
{
    buf[0] = '\0';
    if (!a->exists || !present)
        return VG_OK;
    PGresult *r = apg_run(a, what, sql, 0, NULL, NULL, d);
    if (r == NULL)
        return VG_IO;
    if (PQntuples(r) == 1)
        snprintf(buf, cap, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return VG_OK;
}

static enum vg_err apg_get_head(void *self, char *buf, size_t cap, struct vg_diag *d)
{
    return apg_get_text(self, 1, "signed head", "SELECT text FROM audit_head WHERE id = 1",
                        buf, cap, d);
}

static enum vg_err apg_get_base(void *self, char *buf, size_t cap, struct vg_diag *d)
{
    struct apg *a = self;
    return apg_get_text(a, a->has_base, "retention checkpoint",
                        "SELECT text FROM audit_base WHERE id = 1", buf, cap, d);
}

/* One transaction: the checkpoint, then the rows it covers (the trigger
 * lets only those go). */
static enum vg_err apg_cut(void *self, const char *base_text, uint64_t keep_from,
                           struct vg_diag *d)
{
    struct apg *a = self;
    char kf[32];
    snprintf(kf, sizeof kf, "%llu", (unsigned long long)keep_from);
    enum vg_err e = apg_cmd(a, "cut", "BEGIN", 0, NULL, NULL, d);
    if (e == VG_OK)
        e = apg_cmd(a, "retention checkpoint",
                    "INSERT INTO audit_base(id, keep_from, text) VALUES(1, $1::bigint, $2)"
                    " ON CONFLICT(id) DO UPDATE SET keep_from = EXCLUDED.keep_from,"
                    " text = EXCLUDED.text", 2, kf, base_text, d);
    if (e == VG_OK)
        e = apg_cmd(a, "cut", "DELETE FROM audit_trail WHERE pos < $1::bigint", 1, kf, NULL, d);
    if (e == VG_OK)
        e = apg_cmd(a, "cut", "COMMIT", 0, NULL, NULL, d);
    else
        apg_cmd(a, "cut", "ROLLBACK", 0, NULL, NULL, NULL);
    return e;
}

static void apg_close(void *self)
{
    struct apg *a = self;
    if (a == NULL)
        return;
    PQfinish(a->c);
    vg_free(a);
}

static const struct vg_audit_backend_ops apg_ops = {
    "postgres", apg_lock, apg_unlock,   apg_last_line, apg_version, apg_append,
    apg_sync,   apg_scan, apg_put_head, apg_get_head,  apg_close,   apg_get_base,
    apg_cut,
};

static void apg_quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* Connect; create the tables unless read_only (then a missing trail reads
 * as empty). */
static enum vg_err apg_new(const char *url, int read_only, struct apg **out,
                           struct vg_diag *d)
{
    struct apg *a = vg_calloc(1, sizeof *a);
    enum vg_err e = VG_OK;
    *out = NULL;
    if (a == NULL)
        return vg_fail(d, VG_NOMEM, url, 0, 0, "no memory");
    snprintf(a->url, sizeof a->url, "%s", url);
    a->c = PQconnectdb(url);
    if (a->c == NULL || PQstatus(a->c) != CONNECTION_OK) {
        e = apg_fail(a, d, "cannot connect", NULL);
        goto out;
    }
    PQsetNoticeProcessor(a->c, apg_quiet, NULL);
    if (read_only) {
        PGresult *r = apg_run(a, "open",
                              "SELECT to_regclass('audit_trail') IS NOT NULL,"
                              " to_regclass('audit_base') IS NOT NULL", 0, NULL, NULL, d);
        e = r ? VG_OK : VG_IO;
        a->exists = r && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        a->has_base = r && strcmp(PQgetvalue(r, 0, 1), "t") == 0;
        PQclear(r);
    } else {
        e = apg_cmd(a, "creating the table", "BEGIN", 0, NULL, NULL, d);
        if (e == VG_OK)
            e = apg_cmd(a, "creating the table", apg_schema, 0, NULL, NULL, d);
        apg_cmd(a, "creating the table", e ? "ROLLBACK" : "COMMIT", 0, NULL, NULL, e ? NULL : d);
        a->exists = a->has_base = 1;
    }
out:
    if (e != VG_OK)
        apg_close(a);
    else
        *out = a;
    return e;
}

enum vg_err vg_audit_open_for_store(const char *db_url, const struct vg_audit_opts *opts,
                                    struct vg_audit **out, struct vg_diag *d)
{
    char key_base[4096];
    struct apg *a = NULL;
    *out = NULL;
    if (db_url == NULL || !vg_store_is_postgres(db_url))
        return vg_audit_open(db_url, opts, out, d);
    if (vg_store_side_path(db_url, ".audit", key_base, sizeof key_base - 8) != VG_OK)
        return vg_fail(d, VG_USAGE, db_url, 0, 0, "cannot name the audit key files of this URL");
    enum vg_err e = apg_new(db_url, opts && opts->read_only, &a, d);
    if (e != VG_OK)
        return e;
    return vg_audit_open_backend(&apg_ops, a, key_base, opts, out, d);
}

enum vg_err vg_audit_verify_for_store(const char *db_url, int allow_unsigned_tail,
                                      struct vg_audit_report *report, struct vg_diag *d)
{
    return vg_audit_verify_anchored(db_url, allow_unsigned_tail, NULL, report, d);
}

enum vg_err vg_audit_verify_anchored(const char *db_url, int allow_unsigned_tail,
                                     const char *anchor, struct vg_audit_report *report,
                                     struct vg_diag *d)
{
    char key_base[4096];
    unsigned char pk[32];
    struct apg *a = NULL;
    struct vg_diag kd;
    if (db_url == NULL || !vg_store_is_postgres(db_url))
        return audit__verify_file(db_url, allow_unsigned_tail, anchor, report, d);
    if (sodium_init() < 0 ||
        vg_store_side_path(db_url, ".audit", key_base, sizeof key_base - 8) != VG_OK)
        return vg_fail(d, VG_USAGE, db_url, 0, 0, "cannot name the audit key files of this URL");
    enum vg_err e = apg_new(db_url, 1, &a, d);
    if (e != VG_OK)
        return e;
    vg_diag_clear(&kd);
    enum vg_err ke = audit__load_pub(key_base, pk, &kd);
    if (ke != VG_OK && ke != VG_NOTFOUND) {
        if (d)
            *d = kd;
        apg_close(a);
        return ke;
    }
    e = audit__verify_backend(&apg_ops, a, ke == VG_OK ? pk : NULL, allow_unsigned_tail,
                              anchor, report, d);
    apg_close(a);
    return e;
}

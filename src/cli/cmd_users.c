/*
 * cmd_users.c — `vigie users add|list|disable|enable|passwd`: accounts of
 * the web application, managed from the server's shell.  Passwords come
 * from a file (or "-" for standard input), never from the command line,
 * and are stored as Argon2id hashes.  Every change is audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/auditlog.h"
#include "base/alloc.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "server/auth.h"
#include "server/server.h"

/* First line of `path` ("-" = stdin) without its line end, into pw[cap]. */
static enum vg_err read_password(const char *path, char *pw, size_t cap, struct vg_diag *d)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (f == NULL)
        return vg_fail(d, VG_IO, path, 0, 0, "cannot read the password file");
    enum vg_err e = VG_OK;
    if (fgets(pw, (int)cap, f) == NULL)
        e = vg_fail(d, VG_PARSE, path, 1, 0, "the password file is empty");
    if (f != stdin)
        fclose(f);
    pw[strcspn(pw, "\r\n")] = '\0';
    return e;
}

/* Account changes go to the store's hash-chained trail, like the server's
 * own administration routes (role "admin": it is the administrator at the
 * console). */
static void audit(const char *db, const char *action, const char *name, const char *detail, int status)
{
    char actor[96], det[256];
    const char *u = getenv("USER");
    struct vg_audit *log = NULL;
    struct vg_diag d;
    vg_diag_clear(&d);
    snprintf(actor, sizeof actor, "cli:%s", u ? u : "?");
    snprintf(det, sizeof det, "{\"status\":%d,\"detail\":\"%s\"}", status,
             detail ? detail : "");
    struct vg_audit_rec r = {0, 0, actor, "admin", action, name, NULL, det};
    enum vg_err e = vg_audit_open_for_store(db, NULL, &log, &d);
    if (e == VG_OK)
        e = vg_audit_append(log, &r, NULL, &d);
    if (vg_audit_close(log, e ? NULL : &d) != VG_OK || e != VG_OK)
        fprintf(stderr, "vigie users: audit record not written: %s\n", d.msg);
}

static enum vg_err print_user(void *arg, const struct vg_user_row *u)
{
    (void)arg;
    char when[32];
    time_t t = (time_t)u->updated;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
    printf("%-24s %-11s %-9s %s\n", u->name, u->role, u->disabled ? "disabled" : "active", when);
    return VG_OK;
}

/* Common start: options, the store (created for `add`), the user name. */
static enum vg_err open_cmd(int argc, char **argv, int need_name, int create, struct vg_args *a,
                            struct vg_ctx *ctx, const char **name, struct vg_diag *d)
{
    static const char *const known[] = {"db", "role", "password-file", NULL};
    enum vg_err e = vg_args_parse(a, argc, argv, NULL, d);
    if (e == VG_OK)
        e = vg_args_check(a, known, d);
    const char *db = e ? NULL : vg_args_need(a, "db", d);
    if (db == NULL)
        return e ? e : VG_USAGE;
    *name = a->npos ? a->pos[0] : NULL;
    if (need_name && (*name == NULL || !vg_auth_name_ok(*name)))
        return vg_fail(d, VG_USAGE, "", 0, 0, "a user NAME of 1-64 characters [a-z0-9._-] is needed");
    return vg_ctx_open(ctx, db, create, d);
}

static enum vg_err set_user(int argc, char **argv, const char *verb, struct vg_diag *d)
{
    struct vg_args a;
    struct vg_ctx ctx;
    struct vg_auth_user o = {0};
    const char *name;
    char pw[VG_AUTH_PW_MAX + 2], hash[VG_AUTH_HASH_MAX];
    int add = !strcmp(verb, "add"), passwd = !strcmp(verb, "passwd");
    enum vg_err e = open_cmd(argc, argv, 1, add, &a, &ctx, &name, d);
    if (e)
        return e;
    const char *role = vg_args_get(&a, "role", NULL);
    const char *pwf = vg_args_get(&a, "password-file", NULL);
    if (add && (!vg_auth_role_parse(role) || pwf == NULL))
        e = vg_fail(d, VG_USAGE, "", 0, 0, "--role operator|analyst|supervisor|auditor|admin and --password-file F are needed");
    else if (passwd && pwf == NULL)
        e = vg_fail(d, VG_USAGE, "", 0, 0, "--password-file F is needed");
    if (e == VG_OK && !add)
        e = ctx.store->ops->users_get(ctx.store, name, vg_auth_user_copy, &o, d);
    if (e == VG_OK && (add || passwd))
        e = read_password(pwf, pw, sizeof pw, d);
    if (e == VG_OK && (add || passwd))
        e = vg_auth_hash(pw, strlen(pw), hash, d);
    if (e == VG_OK) {
        int64_t now = (int64_t)time(NULL);
        struct vg_user_row u = {name, add ? role : o.role, add || passwd ? hash : o.hash,
                                !strcmp(verb, "disable") ? 1 : !strcmp(verb, "enable") ? 0 : o.disabled,
                                add ? now : o.created, now};
        e = ctx.store->ops->user_put(ctx.store, &u, add, d);
    }
    memset(pw, 0, sizeof pw);
    char action[32];
    snprintf(action, sizeof action, "users.%s", verb);
    audit(vg_args_get(&a, "db", ctx.store->url), action, name, e ? vg_strerror(e) : (add ? role : NULL), vg_exit_code(e));
    if (e == VG_OK)
        printf("user %s: %s\n", name, add ? "added" : passwd ? "password changed" : verb[0] == 'd' ? "disabled" : "enabled");
    vg_ctx_close(&ctx);
    return e;
}

enum vg_err vg_cmd_users_add(int argc, char **argv, struct vg_diag *d) { return set_user(argc, argv, "add", d); }
enum vg_err vg_cmd_users_disable(int argc, char **argv, struct vg_diag *d) { return set_user(argc, argv, "disable", d); }
enum vg_err vg_cmd_users_enable(int argc, char **argv, struct vg_diag *d) { return set_user(argc, argv, "enable", d); }
enum vg_err vg_cmd_users_passwd(int argc, char **argv, struct vg_diag *d) { return set_user(argc, argv, "passwd", d); }

enum vg_err vg_cmd_users_list(int argc, char **argv, struct vg_diag *d)
{
    struct vg_args a;
    struct vg_ctx ctx;
    const char *name;
    enum vg_err e = open_cmd(argc, argv, 0, 0, &a, &ctx, &name, d);
    if (e)
        return e;
    e = ctx.store->ops->users_get(ctx.store, NULL, print_user, NULL, d);
    vg_ctx_close(&ctx);
    return e;
}

/*
 * cmd_serve.c — `vigie serve`: start the web application, lock the process
 * down, wait for SIGINT/SIGTERM, stop cleanly.
 */
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "server/server.h"

/* The one hardening point, after sockets and files are open: no core
 * dumps (sessions live in memory), private files, and when started as root
 * with --user, drop to that user for good. */
static enum vg_err harden(const char *user, struct vg_diag *d)
{
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    umask(077);
    if (user == NULL)
        return VG_OK;
    struct passwd *pw = getpwnam(user);
    if (pw == NULL)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--user \"%s\" does not exist", user);
    if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
        return vg_fail(d, VG_FORBIDDEN, "", 0, 0, "cannot switch to user \"%s\" (start as root)", user);
    if (setuid(0) == 0)
        return vg_fail(d, VG_INTERNAL, "", 0, 0, "privileges could be regained after dropping them");
    return VG_OK;
}

enum vg_err vg_cmd_serve(int argc, char **argv, struct vg_diag *d)
{
    static const char *const flags[] = {"secure-cookies", "trust-proxy", "log", NULL};
    static const char *const known[] = {"db", "listen", "web", "leaflet", "tls-cert", "tls-key",
                                        "secure-cookies", "trust-proxy", "max-body",
                                        "timeout", "log", "user", "live-dir", "purge-hours", "gazetteer", "tiles", "video-db", NULL};
    struct vg_args a;
    struct vg_server *srv = NULL;
    long max_body = 0, timeout = 0;
    double purge_hours = 24;
    enum vg_err e = vg_args_parse(&a, argc, argv, flags, d);
    if (e == VG_OK)
        e = vg_args_check(&a, known, d);
    if (e == VG_OK)
        e = vg_args_long(&a, "max-body", 64 * 1024, &max_body, d);
    if (e == VG_OK)
        e = vg_args_long(&a, "timeout", 15, &timeout, d);
    if (e == VG_OK)
        e = vg_args_double(&a, "purge-hours", 24, &purge_hours, d);
    if (e == VG_OK && (purge_hours < 0 || purge_hours > 24 * 365))
        e = vg_fail(d, VG_USAGE, "", 0, 0, "--purge-hours must be 0 (never) to 8760");
    const char *db = e ? NULL : vg_args_need(&a, "db", d);
    if (db == NULL)
        return e ? e : VG_USAGE;
    if (max_body < 1024 || max_body > (16l << 20) || timeout < 1 || timeout > 3600)
        return vg_fail(d, VG_USAGE, "", 0, 0, "--max-body must be 1024..16777216 and --timeout 1..3600");
    struct vg_server_config c = {
        db, vg_args_get(&a, "listen", "127.0.0.1:8080"), vg_args_get(&a, "web", NULL),
        vg_args_get(&a, "leaflet", NULL), vg_args_get(&a, "tls-cert", NULL),
        vg_args_get(&a, "tls-key", NULL), vg_args_has(&a, "secure-cookies"),
        vg_args_has(&a, "trust-proxy"), (size_t)max_body,
        (unsigned)timeout, 0, vg_args_has(&a, "log"), vg_args_get(&a, "live-dir", NULL), purge_hours,
        vg_args_get(&a, "gazetteer", NULL), vg_args_get(&a, "tiles", NULL),
        vg_args_get(&a, "video-db", NULL)};
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* server threads inherit the mask */
    signal(SIGPIPE, SIG_IGN);
    e = vg_server_start(&c, &srv, d);
    if (e == VG_OK)
        e = harden(vg_args_get(&a, "user", NULL), d);
    if (e) {
        vg_server_stop(srv);
        return e;
    }
    const char *scheme = c.tls_cert ? "https" : "http";
    char host[128];
    const char *colon = strrchr(c.listen, ':');
    snprintf(host, sizeof host, "%.*s", (int)(colon - c.listen), c.listen);
    printf("vigie serve: listening on %s://%s:%u/ (Ctrl-C stops)\n", scheme,
           host[0] ? host : "0.0.0.0", vg_server_port(srv));
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "vigie serve: signal %d, stopping\n", sig);
    vg_server_stop(srv);
    return VG_OK;
}

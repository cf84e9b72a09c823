/*
 * args.c — option parsing for the CLI.  Borrowed pointers into argv only.
 */
#include "cli/args.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int is_flag(const char *const *flags, const char *name, size_t len)
{
    for (; flags && *flags; flags++)
        if (strlen(*flags) == len && strncmp(*flags, name, len) == 0)
            return 1;
    return 0;
}

enum vg_err vg_args_parse(struct vg_args *a, int argc, char **argv,
                          const char *const *flags, struct vg_diag *d)
{
    memset(a, 0, sizeof *a);
    a->flags = flags;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (strncmp(s, "--", 2) != 0 || s[2] == '\0') {
            if (a->npos == VG_ARGS_MAX)
                return vg_fail(d, VG_USAGE, "", 0, 0, "too many arguments");
            a->pos[a->npos++] = s;
            continue;
        }
        if (a->nopt == VG_ARGS_MAX)
            return vg_fail(d, VG_USAGE, "", 0, 0, "too many options");
        const char *name = s + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        /* store the name in argv itself when given as --name=value */
        if (eq) {
            argv[i][2 + nlen] = '\0';
            a->name[a->nopt] = name;
            a->value[a->nopt++] = eq + 1;
        } else if (is_flag(flags, name, nlen)) {
            a->name[a->nopt] = name;
            a->value[a->nopt++] = NULL;
        } else {
            if (i + 1 >= argc)
                return vg_fail(d, VG_USAGE, "", 0, 0,
                               "option --%s needs a value", name);
            a->name[a->nopt] = name;
            a->value[a->nopt++] = argv[++i];
        }
    }
    return VG_OK;
}

const char *vg_args_get(const struct vg_args *a, const char *name,
                        const char *def)
{
    const char *v = def;
    for (size_t i = 0; i < a->nopt; i++)
        if (strcmp(a->name[i], name) == 0)
            v = a->value[i] ? a->value[i] : "";
    return v;
}

int vg_args_has(const struct vg_args *a, const char *name)
{
    for (size_t i = 0; i < a->nopt; i++)
        if (strcmp(a->name[i], name) == 0)
            return 1;
    return 0;
}

size_t vg_args_all(const struct vg_args *a, const char *name,
                   const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nopt && n < max; i++)
        if (strcmp(a->name[i], name) == 0 && a->value[i])
            out[n++] = a->value[i];
    return n;
}

const char *vg_args_need(const struct vg_args *a, const char *name,
                         struct vg_diag *d)
{
    const char *v = vg_args_get(a, name, NULL);
    if (v == NULL || *v == '\0')
        vg_fail(d, VG_USAGE, "", 0, 0, "missing required option --%s", name);
    return v && *v ? v : NULL;
}

enum vg_err vg_args_check(const struct vg_args *a, const char *const *known,
                          struct vg_diag *d)
{
    for (size_t i = 0; i < a->nopt; i++) {
        int ok = 0;
        for (const char *const *k = known; k && *k; k++)
            if (strcmp(*k, a->name[i]) == 0)
                ok = 1;
        if (!ok)
            return vg_fail(d, VG_USAGE, "", 0, 0, "unknown option --%s",
                           a->name[i]);
    }
    return VG_OK;
}

enum vg_err vg_args_double(const struct vg_args *a, const char *name,
                           double def, double *out, struct vg_diag *d)
{
    const char *v = vg_args_get(a, name, NULL);
    if (v == NULL) {
        *out = def;
        return VG_OK;
    }
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "option --%s: \"%s\" is not a number", name, v);
    *out = x;
    return VG_OK;
}

enum vg_err vg_args_long(const struct vg_args *a, const char *name, long def,
                         long *out, struct vg_diag *d)
{
    const char *v = vg_args_get(a, name, NULL);
    if (v == NULL) {
        *out = def;
        return VG_OK;
    }
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end)
        return vg_fail(d, VG_USAGE, "", 0, 0,
                       "option --%s: \"%s\" is not an integer", name, v);
    *out = x;
    return VG_OK;
}

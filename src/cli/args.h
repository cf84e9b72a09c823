/*
 * args.h — command-line options shared by every command group.
 * Options are "--name value", "--name=value" or bare flags "--name";
 * repeated options are kept in order (e.g. --param k=v --param k2=v2).
 * Values point into argv (borrowed); the struct holds no heap memory.
 */
#ifndef VG_ARGS_H
#define VG_ARGS_H

#include <stddef.h>

#include "base/err.h"

#define VG_ARGS_MAX 64

struct vg_args {
    const char *name[VG_ARGS_MAX];
    const char *value[VG_ARGS_MAX]; /* NULL for a bare flag */
    size_t nopt;
    const char *pos[VG_ARGS_MAX]; /* positional arguments */
    size_t npos;
    const char *const *flags; /* names that take no value (NULL-terminated) */
};

/* Parse argv[0..argc).  `flags` lists the options that take no value.
 * Fails on "--x" without its value or past VG_ARGS_MAX arguments. */
enum vg_err vg_args_parse(struct vg_args *a, int argc, char **argv,
                          const char *const *flags, struct vg_diag *d);
/* Last value of option `name`, or `def` when absent. */
const char *vg_args_get(const struct vg_args *a, const char *name,
                        const char *def);
int vg_args_has(const struct vg_args *a, const char *name);
/* All values of a repeated option into out[], returns the count. */
size_t vg_args_all(const struct vg_args *a, const char *name,
                   const char **out, size_t max);
/* Required option: returns NULL and fills `d` if absent. */
const char *vg_args_need(const struct vg_args *a, const char *name,
                         struct vg_diag *d);
/* Options not in `known` (NULL-terminated) are usage errors. */
enum vg_err vg_args_check(const struct vg_args *a, const char *const *known,
                          struct vg_diag *d);
/* Parse a numeric option; absent → def. */
enum vg_err vg_args_double(const struct vg_args *a, const char *name,
                           double def, double *out, struct vg_diag *d);
enum vg_err vg_args_long(const struct vg_args *a, const char *name, long def,
                         long *out, struct vg_diag *d);

/* A command: `vigie GROUP [SUB] ...`.  run() gets argv after the group
 * word(s) and returns a status; the dispatcher prints `d` on failure. */
struct vg_command {
    const char *group;
    const char *sub;  /* NULL if the group has no sub-commands */
    const char *usage;
    const char *help;
    enum vg_err (*run)(int argc, char **argv, struct vg_diag *d);
};

#endif

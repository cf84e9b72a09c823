/*
 * fuzz_auditlog.c — libFuzzer target for the audit trail reader: every
 * input is parsed line by line (audit__parse_line) and, as a whole file,
 * verified and scanned.  The reader must never crash, leak or accept a
 * line whose hash does not match.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit_int.h"

static int count(const struct vg_audit_rec *r, void *ctx)
{
    (void)r;
    ++*(long *)ctx;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    char why[200], db[64], path[80];
    for (size_t pos = 0; pos < size;) {
        const char *nl = memchr(p + pos, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - (p + pos)) + 1 : size - pos;
        struct audit__parsed pr;
        if (audit__parse_line(p + pos, len, &pr, why, sizeof why) ==
            VG_AUDIT_FAULT_NONE) {
            if (pr.rec.user == NULL || pr.rec.action == NULL)
                __builtin_trap();
            audit__parsed_free(&pr);
        }
        pos += len;
    }
    snprintf(db, sizeof db, "/tmp/fuzz_auditlog_%d.db", (int)getpid());
    snprintf(path, sizeof path, "%s.audit", db);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    close(fd);
    struct vg_audit_report r;
    struct vg_diag d;
    struct vg_audit *a = NULL;
    struct vg_audit_opts o = {0};
    long n = 0;
    vg_audit_verify(db, 1, &r, &d);
    o.read_only = 1;
    if (vg_audit_open(db, &o, &a, &d) == VG_OK) {
        vg_audit_scan(a, NULL, count, &n, &d);
        vg_audit_close(a, &d);
    }
    unlink(path);
    return 0;
}

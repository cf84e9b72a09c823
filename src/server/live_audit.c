/*
 * live_audit.c — viewing records of the camera wall on the hash-chained
 * audit trail (src/audit/): through the server's open trail
 * (vg_server_audit_append), or, outside a server, by opening the trail,
 * appending one record and closing it (closing signs the head).
 * Memory: nothing outlives a call (details text from jansson, freed).
 */
#include "server/live_audit.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "audit/auditlog.h"
#include "server/server.h"
#include "video/vutil.h"

static const char *const actions[] = {"video.live.start", "video.live.end",
                                      "video.snapshot", "video.live.denied"};

enum vg_err vg_live_audit(const char *db, const char *user, const char *role,
                          const char *ip, const char *camera,
                          enum vg_live_event ev, int64_t from_ms,
                          int64_t to_ms, int64_t frames, struct vg_diag *d)
{
    char from[40], to[40], object[96];
    struct vg_audit *a = NULL;
    char *details = NULL;
    enum vg_err e = VG_OK;
    vg_vutil_fmt_time(from_ms, from, sizeof from);
    vg_vutil_fmt_time(to_ms, to, sizeof to);
    snprintf(object, sizeof object, "camera:%s", camera);
    json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:I}", "ip", ip ? ip : "?",
                          "from", from, "to", to, "duration_ms",
                          (json_int_t)(to_ms - from_ms), "frames",
                          (json_int_t)frames);
    details = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (details == NULL) {
        e = VG_NOMEM;
        goto out;
    }
    struct vg_audit_rec r = {0, 0, user, role, actions[ev], object, NULL,
                             details};
    if (vg_server_audit_append(&r, &e, d)) /* the server's open trail */
        goto out;
    if ((e = vg_audit_open_for_store(db, NULL, &a, d)) != VG_OK)
        goto out;
    e = vg_audit_append(a, &r, NULL, d);
out:
    if (a) {
        enum vg_err c = vg_audit_close(a, d);
        e = e ? e : c;
    }
    free(details);
    return e;
}

/*
 * live_audit.h — the camera wall's viewing records on the store's audit
 * trail.  One function so the server's general audit can take it over
 * (re-point vg_live_audit at the server's own trail handle) without
 * touching the streaming code in api_video.c.
 *
 * This header deliberately includes neither server/server.h nor
 * audit/auditlog.h: both define a `struct vg_audit_rec`.
 */
#ifndef VG_LIVE_AUDIT_H
#define VG_LIVE_AUDIT_H

#include <stdint.h>

#include "base/err.h"

/* What happened to a viewing. */
enum vg_live_event {
    VG_LIVE_START,    /* a live stream began: from_ms = to_ms = start */
    VG_LIVE_END,      /* it ended: [from_ms, to_ms], frames sent */
    VG_LIVE_SNAPSHOT, /* one picture served: from_ms = to_ms */
    VG_LIVE_DENIED    /* refused: the user may not view the camera */
};

/* Append one record to the trail of store `db` ("DB.audit"):
 * action "video.live.start" / "video.live.end" / "video.snapshot" /
 * "video.live.denied", object "camera:NAME", details
 * {"ip","from","to","duration_ms","frames"} (ISO 8601 UTC times).
 * Opens, appends and closes the trail (which signs it), so each record is
 * durable and signed when the call returns.  Thread-safe (the trail locks).
 * Fails with the trail's error (VG_IO, VG_INTEGRITY, ...), never aborts. */
enum vg_err vg_live_audit(const char *db, const char *user, const char *role,
                          const char *ip, const char *camera,
                          enum vg_live_event ev, int64_t from_ms,
                          int64_t to_ms, int64_t frames, struct vg_diag *d);

#endif

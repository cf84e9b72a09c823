/*
 * vutil.h — small helpers shared by the video modules: UTC millisecond
 * clock and ISO 8601 text, SHA-256 of files (libsodium), hex, directories,
 * durable writes (temp name, fsync, rename, fsync of the directory).
 * Nothing here allocates except where a vg_buf is passed in.
 */
#ifndef VG_VUTIL_H
#define VG_VUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Wall clock, UTC milliseconds since 1970. */
int64_t vg_vutil_now_ms(void);

/* Parse a UTC instant: "2026-11-28T10:00:00Z", "2026-11-28T10:00:00.250Z",
 * "2026-11-28 10:00:00" (taken as UTC), "2026-11-28" (midnight UTC) or a
 * plain integer of seconds since 1970.  Fails with VG_PARSE naming `what`. */
enum vg_err vg_vutil_parse_time(const char *s, const char *what, int64_t *ms,
                                struct vg_diag *d);
/* "2026-11-28T10:00:00.250Z" into out (>= 25 bytes). */
void vg_vutil_fmt_time(int64_t ms, char *out, size_t cap);

/* Lower-case hex of n bytes into out (>= 2n+1 bytes). */
void vg_vutil_hex(const uint8_t *p, size_t n, char *out);
/* Parse exactly 2n hex digits into p; VG_PARSE otherwise. */
enum vg_err vg_vutil_unhex(const char *s, uint8_t *p, size_t n);

/* SHA-256 of a file's contents, hex (65 bytes with NUL), and its size. */
enum vg_err vg_vutil_sha256_file(const char *path, char hex[65],
                                 int64_t *size, struct vg_diag *d);

/* mkdir -p with mode 0750.  VG_IO naming the path on failure. */
enum vg_err vg_vutil_mkdirs(const char *path, struct vg_diag *d);
/* (fsync of a file or of its directory: base/fsync.h) */
/* Write n bytes to path atomically: path.tmp, fsync, rename, fsync dir.
 * `mode` is the new file's permission bits. */
enum vg_err vg_vutil_write_atomic(const char *path, const void *p, size_t n,
                                  unsigned mode, struct vg_diag *d);
/* Copy a file (durably: fsync before returning). */
enum vg_err vg_vutil_copy_file(const char *from, const char *to,
                               struct vg_diag *d);

/* Thumbnail of a segment: the segment path with ".mp4" replaced by ".jpg"
 * (".jpg" appended if it does not end in ".mp4"). */
void vg_vutil_thumb_path(const char *seg_path, char *out, size_t cap);

/* A name usable in file paths: [A-Za-z0-9_.-], 1..63 bytes, not starting
 * with '.'.  Returns 1 if valid. */
int vg_vutil_safe_name(const char *s);

#endif

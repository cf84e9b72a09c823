/*
 * vexport.h — requisition exports and their offline verification.
 *
 * An export copies, for an OPJ requisition recorded in the store, every
 * kept segment of the requisition's cameras overlapping its time range into
 * a new directory (<out>/<camera>/<file>.mp4 — the recorded files, already
 * masked, never re-encoded from anything unmasked), writes manifest.txt
 * (requisition fields, the signer's public key, one line per file with its
 * SHA-256 and size) and manifest.sig (Ed25519 detached signature, hex, over
 * the manifest bytes), and writes one 'transmitted' register row per file.
 *
 * The Ed25519 key pair lives next to the database: <db>.ed25519.key (secret,
 * mode 0600) and <db>.ed25519.pub, created on first use.
 */
#ifndef VG_VEXPORT_H
#define VG_VEXPORT_H

#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

/* Load the key pair next to db_path, creating it (0600) if absent. */
enum vg_err vg_vexport_keys(const char *db_path,
                            uint8_t pk[crypto_sign_PUBLICKEYBYTES],
                            uint8_t sk[crypto_sign_SECRETKEYBYTES],
                            struct vg_diag *d);

/* Export requisition req_id into out_dir (must not exist or be empty).
 * *nfiles gets the number of segments copied (0 is allowed: the manifest
 * then says nothing was recorded in the range). */
enum vg_err vg_vexport_run(sqlite3 *db, const char *db_path, int64_t req_id,
                           const char *out_dir, int64_t now_ms,
                           size_t *nfiles, struct vg_diag *d);

/* Verify an export directory offline.  `pubkey_hex` (may be NULL) is the
 * key the caller trusts; without it the key inside the manifest is used,
 * which proves integrity but not origin.  Appends one line per problem
 * ("BAD <file>: ..."), or per good file ("ok <file>") to `report`.
 * VG_OK if everything matches, VG_INTEGRITY otherwise. */
enum vg_err vg_vexport_verify(const char *dir, const char *pubkey_hex,
                              struct vg_buf *report, struct vg_diag *d);

#endif

/*
 * purge.h — enforce the retention policy on a store: delete the incidents
 * (logbook, partner, other) and stored forecasts whose retention period has
 * expired, except those a legal hold in force keeps, and leave one audit
 * record with the counts (never the content).  `vigie purge` and the
 * server's daily job both call vg_purge_run.
 *
 * The policy lives in the store meta key "retention_policy" (text of
 * vg_ret_policy_parse over vg_ret_policy_default); holds in the store's
 * legal_hold table (store ops hold_add / holds_get / hold_lift).  An
 * incident's area for hold matching is its area id in the store's default
 * layer (meta "default_layer"); an incident outside every area, or a store
 * without a default layer, is covered by area-restricted holds too (it
 * cannot be shown to lie outside them; see vg_ret_decide).
 * The audit trail's own records are decided the same way (area unknown);
 * the oldest run of expired, unheld records is cut with vg_audit_prune
 * (signed retention checkpoint; `vigie audit verify` still proves the
 * rest), before the store's rows, and documented by its "audit-prune"
 * record.  A held or young record stops the run: later expired records are
 * counted (expired/held) but wait.
 * Memory: vg_purge_holds returns an array the caller frees with vg_free.
 */
#ifndef VG_PURGE_H
#define VG_PURGE_H

#include <stddef.h>
#include <stdint.h>

#include "audit/auditlog.h"
#include "audit/retention.h"
#include "base/buf.h"
#include "store/store.h"

#define VG_PURGE_POLICY_KEY "retention_policy"

struct vg_purge_counts {
    size_t expired[VG_RET_NTYPES]; /* past retention at `now` */
    size_t held[VG_RET_NTYPES];    /* of those, kept by a legal hold */
    size_t purged[VG_RET_NTYPES];  /* deleted (0 on a dry run) */
    size_t audit_cut;              /* trail records removed (dry run: that
                                      would be: the oldest unheld expired run,
                                      minus the last record, always kept) */
    int64_t audit_seq;             /* the purge's audit record, 0 if none */
};

/* The store's policy: defaults overridden by meta "retention_policy".
 * VG_PARSE (naming the meta key) if the stored text is invalid. */
enum vg_err vg_purge_policy(struct vg_store *s, struct vg_ret_policy *p,
                            struct vg_diag *d);

/* "logbook=1825,partner=365,incident=1095,forecast=365,audit=1095"
 * ("forever" for VG_RET_FOREVER) into b. */
enum vg_err vg_purge_policy_text(const struct vg_ret_policy *p,
                                 struct vg_buf *b);

/* Every hold of the store (lifted ones too), as retention holds, in id
 * order; *out is vg_malloc'ed (NULL when n = 0), the caller vg_free()s it.
 * VG_PARSE for a stored hold with an unknown type. */
enum vg_err vg_purge_holds(struct vg_store *s, struct vg_ret_hold **out,
                           size_t *n, struct vg_diag *d);

/* Decide every stored record at instant `now` (UTC seconds, injected for
 * tests and dry runs) and, unless `dry_run`, delete those to purge in one
 * transaction, then append an audit record (user "vigie", role "system",
 * action "purge", object "store", details {"now","policy","counts":{TYPE:
 * {"expired","held","purged"}}}) — before commit, so a purge that cannot
 * be audited is rolled back.  `audit` may be NULL only for a dry run.
 * A dry run writes nothing.  `c` receives the counts. */
enum vg_err vg_purge_run(struct vg_store *s, struct vg_audit *audit,
                         int64_t now, int dry_run, struct vg_purge_counts *c,
                         struct vg_diag *d);

#endif

/*
 * commands.h — every command group's handlers, one file per group
 * (cli/cmd_*.c).  main.c holds the one dispatch table.
 */
#ifndef VG_COMMANDS_H
#define VG_COMMANDS_H

#include "cli/args.h"

enum vg_err vg_cmd_version(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_stats(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_import_incidents(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_import_weather(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_import_areas(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_categories(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_forecast(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_models_list(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_models_publish(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_models_status(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_backtest(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_tune(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_audit_verify(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_audit_anchor(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_audit_show(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_audit_log(int argc, char **argv, struct vg_diag *d);
/* fairness and feedback loops (cmd_fairness.c) */
enum vg_err vg_cmd_audit_feedback(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_audit_urn(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_audit_fairness(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_briefing(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_serve(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_users_add(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_users_list(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_users_disable(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_users_enable(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_users_passwd(int argc, char **argv, struct vg_diag *d);

/* accountability (cmd_retain.c, cmd_export.c, cmd_publish.c, cmd_report.c) */
enum vg_err vg_cmd_purge(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_retention(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_hold(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_publish_stats(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_export_place(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_audit_report(int argc, char **argv, struct vg_diag *d);

/* video (cmd_video.c) */
enum vg_err vg_cmd_video_camera(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_video_record(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_video_purge(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_video_hold(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_video_requisition(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_video_export(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_video_verify(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_video_register(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_video_segments(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_video_live(int argc, char **argv, struct vg_diag *d);

/* logbook (cmd_logbook.c, cmd_review.c) */
enum vg_err vg_cmd_import_logbook(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_classify_train(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_classify_text(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_review_list(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_review_show(int argc, char **argv, struct vg_diag *d);
enum vg_err vg_cmd_review_set(int argc, char **argv, struct vg_diag *d);
/* Extent of a loaded gazetteer (read from `path`, named in errors) plus a
 * 2 km margin, as bb = {lon_min, lat_min, lon_max, lat_max}: the study area
 * of a logbook import (or of the server's form) when no area layer or bbox
 * fixes it. */
struct vg_gazetteer;
enum vg_err vg_cmd_gazetteer_bbox(const struct vg_gazetteer *g, const char *path, double bb[4],
                                  struct vg_diag *d);
/* Append one record to the audit trail of store `db` (no entry text). */
enum vg_err vg_cmd_logbook_audit(const char *db, const char *user, const char *role,
                                 const char *action, const char *object,
                                 const char *purpose, const char *details,
                                 struct vg_diag *d);

#endif

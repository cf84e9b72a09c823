/*
 * commands.h — every command group's handlers, one file per group
 * (cli/cmd_*.c).  main.c holds the one dispatch table.
 */
#ifndef VG_COMMANDS_H
#define VG_COMMANDS_H

#include "cli/args.h"

enum vg_err vg_cmd_version(int argc, char **argv, struct vg_diag *d);

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

#endif

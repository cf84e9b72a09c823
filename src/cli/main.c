/*
 * main.c — `vigie GROUP [SUB] [OPTIONS]`: looks the command up in the one
 * dispatch table, runs it, prints its diagnostic on failure and exits with
 * the code the error table gives.
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "cli/commands.h"

#ifndef VG_VERSION
#define VG_VERSION "0.1.0"
#endif

enum vg_err vg_cmd_version(int argc, char **argv, struct vg_diag *d)
{
    (void)argc, (void)argv, (void)d;
    printf("vigie %s\n", VG_VERSION);
    return VG_OK;
}

static const struct vg_command commands[] = {
    {"version", NULL, "vigie version", "print the version", vg_cmd_version},
    {"import", "incidents", "vigie import incidents --db DB --profile NAME|PATH [--rejects F] FILE...",
     "import incident CSV exports described by a profile", vg_cmd_import_incidents},
    {"import", "areas", "vigie import areas --db DB --layer NAME --id-field F --name-field F [--pop-field F] [--crs C] FILE.geojson",
     "import neighbourhood polygons and assign incidents to them", vg_cmd_import_areas},
    {"import", "weather", "vigie import weather --db DB --profile NAME [--station S] FILE",
     "import daily weather records (SI units; missing days stay missing)", vg_cmd_import_weather},
    {"import", "logbook", "vigie import logbook --db DB --profile logbook-csv|PATH [--gazetteer F] [--rejects F] [--threshold X] [--street-level] FILE.csv|FILE.jsonl...",
     "import logbook/partner entries: scrubbed, placed, classified; unsure ones to review", vg_cmd_import_logbook},
    {"review", "list", "vigie review list --db DB [--status pending|confirmed|corrected|accepted|author|all]",
     "logbook entries waiting for a person to check their category", vg_cmd_review_list},
    {"review", "show", "vigie review show ID --db DB", "one entry of the review queue", vg_cmd_review_show},
    {"review", "set", "vigie review set ID --db DB --category C [--by NAME]",
     "confirm or correct an entry's category (used at the next training)", vg_cmd_review_set},
    {"classify", "train", "vigie classify train --db DB [--out FILE]",
     "retrain the text model on person-given categories (review corrections included)", vg_cmd_classify_train},
    {"classify", "text", "vigie classify text --db DB [--model F] [--rules F|none] [--mode both|rules|model] TEXT",
     "category and confidence the classifier gives a text", vg_cmd_classify_text},
    {"categories", NULL, "vigie categories --db DB [--lang en]", "list the incident categories",
     vg_cmd_categories},
    {"forecast", NULL, "vigie forecast --db DB [--model NAME [--param k=v ...]] --date YYYY-MM-DD --shift night|day|HH:MM-HH:MM --category C[,C...] [--units grid:150|areas:LAYER] [--top K] [--format table|json|geojson|csv] [--feedback ensign [--dosage-days 28] [--patrol-places 10]] | --replay N",
     "expected incidents per place for a patrol shift, ranked and explained", vg_cmd_forecast},
    {"backtest", NULL, "vigie backtest --db DB --models M1,M2:k=v,... --from D --to D --shift S --category C [--units grid:150|areas:LAYER] [--coverage 1,2,5,10,20] [--refit daily|weekly|monthly] [--format table|json|html] [--out FILE] [--threads N] [--gate]",
     "rolling backtest of models against the naive baselines", vg_cmd_backtest},
    {"tune", NULL, "vigie tune --db DB --model NAME --axis k=v1|v2|... [--axis ...] [--random N] --val-from D --val-to D [--test-from D --test-to D] --category C [--shift night] [--units grid:150 ...] [--threads N] [--format table|json] [--out F]",
     "parameter search on a validation period kept apart from the test period", vg_cmd_tune},
    {"models", "list", "vigie models list", "every model with its parameters and defaults",
     vg_cmd_models_list},
    {"models", "publish", "vigie models publish SPEC --db DB --category C [--shift night] [--by USER] [--from D --to D] [--units U] [--coverage ...] [--primary P] [--threads N] [--format table|html --out F]",
     "backtest a model on the held-out months; publish it only if it beats the best naive baseline", vg_cmd_models_publish},
    {"models", "status", "vigie models status --db DB --category C [--shift night]",
     "which model the briefing uses for these categories, and the evidence", vg_cmd_models_status},
    {"stats", NULL, "vigie stats --db DB [--by KEY,...] [--from D --to D | --month YYYY-MM|last] [--category C] [--area A] [--source S] [--origin O] [--format table|csv|json] [--excel-fr]",
     "counts, shares, rates and changes per area, category, time...", vg_cmd_stats},
    {"audit", "verify", "vigie audit verify --db DB [--allow-unsigned-tail] [--anchor FILE]",
     "prove the audit trail intact or name its first broken record",
     vg_cmd_audit_verify},
    {"audit", "anchor", "vigie audit anchor --db DB [--out FILE]",
     "the trail's signed head, to keep elsewhere (verify --anchor detects a rollback behind it)",
     vg_cmd_audit_anchor},
    {"audit", "show", "vigie audit show --db DB [--user U] [--from D] [--to D] "
     "[--what ACTION] [--object O] [--format table|json] [--signatures]",
     "list audit records", vg_cmd_audit_show},
    {"audit", "log", "vigie audit log --db DB --user U --action A --object O "
     "[--role R] [--purpose P] [--details JSON]",
     "append one audit record (scripts, tests)", vg_cmd_audit_log},
    {"audit", "feedback", "vigie audit feedback --db DB --category C --from D --to D [--patrols K] "
     "[--correction none|ensign|both] [--model naive] [--param k=v] [--units grid:500] "
     "[--report-rate 0.5] [--discovery-rate 0.5] [--dosage-days 28] [--history-days 365] "
     "[--seed N] [--reference] [--format table|json|svg] [--out F]",
     "replay patrols on real data: the feedback loop with and without the Ensign correction",
     vg_cmd_audit_feedback},
    {"audit", "urn", "vigie audit urn [--rates 0.3,0.2] [--days 1000] [--runs 200] [--seed N]",
     "Ensign et al.'s two-region urn: runaway patrols without the correction, true shares with it",
     vg_cmd_audit_urn},
    {"audit", "fairness", "vigie audit fairness --db DB --layer L --category C --from D --to D "
     "--model M [--param k=v] [--coverage 5] [--units grid:150] [--shift S] [--refit weekly] "
     "[--format table|json]",
     "per area: flagged share vs reported incidents and population; hit rate by origin",
     vg_cmd_audit_fairness},
    {"briefing", NULL, "vigie briefing --db DB --date D --category C [--shift S] [--model M] "
     "[--param k=v] [--units U] [--top K] [--include-police-activity --by NAME]",
     "patrol briefing; police-activity categories are left out unless a supervisor overrides",
     vg_cmd_briefing},
    {"purge", NULL, "vigie purge --db DB [--now DATE] [--dry-run]",
     "delete records past their retention period (legal holds kept); audited", vg_cmd_purge},
    {"retention", NULL, "vigie retention show|set POLICY --db DB   (POLICY: logbook=365,partner=180,...)",
     "show or set the retention period per data type", vg_cmd_retention},
    {"hold", NULL, "vigie hold add --db DB --procedure PV --type T --from D [--to D] [--area A] --reason R | hold list --db DB | hold lift PV --db DB --reason R",
     "legal holds: keep records past retention until lifted (audited)", vg_cmd_hold},
    {"publish", "stats", "vigie publish stats --db DB [--layer L] --from YYYY-MM --to YYYY-MM [--min 5] [--category C] --out FILE.csv",
     "counts per area and month for open data, small counts suppressed (complementary too)", vg_cmd_publish_stats},
    {"export", "place", "vigie export place --db DB --area A | --bbox lon1,lat1,lon2,lat2 --from D --to D --requester \"NAME, service\" --reason R --out FILE.json",
     "everything stored about a place and time window, hashed and audited", vg_cmd_export_place},
    {"audit", "report", "vigie audit report --db DB --from D --to D --out report.html [--now D] [--fairness FILE.json]",
     "self-contained HTML report for an ethics committee", vg_cmd_audit_report},
    {"serve", NULL, "vigie serve --db DB [--listen ADDR:PORT] [--web DIR] [--tls-cert F --tls-key F] [--secure-cookies] [--trust-proxy] [--user U] [--live-dir DIR] [--video-db FILE] [--purge-hours 24] [--gazetteer FILE] [--tiles DIR]",
     "the web application: briefing, map, incidents, statistics (JSON API under /api/v1)", vg_cmd_serve},
    {"users", "add", "vigie users add NAME --db DB --role operator|analyst|supervisor|auditor|admin --password-file F|-",
     "create a web application account (Argon2id hash)", vg_cmd_users_add},
    {"users", "list", "vigie users list --db DB", "list web application accounts", vg_cmd_users_list},
    {"users", "disable", "vigie users disable NAME --db DB", "disable an account", vg_cmd_users_disable},
    {"users", "enable", "vigie users enable NAME --db DB", "enable an account again", vg_cmd_users_enable},
    {"users", "passwd", "vigie users passwd NAME --db DB --password-file F|-", "set an account's password",
     vg_cmd_users_passwd},
    {"video", "camera", "vigie video camera add|list|mask|set|allow|deny --db DB ...",
     "camera registry, privacy masks, viewers", vg_cmd_video_camera},
    {"video", "record", "vigie video record --db DB --camera NAME [--segment 60] [--dir DIR] [--duration S]",
     "record a camera (masked H.264 segments)", vg_cmd_video_record},
    {"video", "purge", "vigie video purge --db DB [--now T] [--dry-run]",
     "destroy recordings past retention (legal holds kept)", vg_cmd_video_purge},
    {"video", "hold", "vigie video hold add|release --db DB --procedure P --camera C --from T --to T | --id N",
     "legal holds", vg_cmd_video_hold},
    {"video", "requisition", "vigie video requisition --db DB --officer O --service S --procedure P --camera C --from T --to T --reason R --supervisor U",
     "record an OPJ requisition", vg_cmd_video_requisition},
    {"video", "export", "vigie video export --db DB --requisition N --out DIR",
     "export a requisition's segments with a signed manifest", vg_cmd_video_export},
    {"video", "verify", "vigie video verify DIR [--pubkey FILE]",
     "check an export offline", vg_cmd_video_verify},
    {"video", "register", "vigie video register --db DB [--camera C] [--from T] [--to T]",
     "what was recorded, destroyed, transmitted, viewed", vg_cmd_video_register},
    {"video", "segments", "vigie video segments --db DB [--camera C] [--from T] [--to T] [--all]",
     "list recorded segments", vg_cmd_video_segments},
    {"video", "live", "vigie video live --db DB --dir LIVEDIR --camera C --user U [--role R] --out FILE",
     "latest masked picture of a camera (viewing logged)", vg_cmd_video_live},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: vigie COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-60s %s\n", commands[i].usage, commands[i].help);
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? vg_exit_code(VG_USAGE) : 0;
    }
    const struct vg_command *cmd = NULL;
    int used = 0;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        const struct vg_command *c = &commands[i];
        if (strcmp(c->group, argv[1]) != 0)
            continue;
        if (c->sub == NULL) {
            cmd = c;
            used = 2;
            break;
        }
        if (argc > 2 && strcmp(c->sub, argv[2]) == 0) {
            cmd = c;
            used = 3;
            break;
        }
    }
    if (cmd == NULL) {
        fprintf(stderr, "vigie: unknown command \"%s%s%s\"\n", argv[1],
                argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
        usage(stderr);
        return vg_exit_code(VG_USAGE);
    }
    struct vg_diag d;
    vg_diag_clear(&d);
    enum vg_err e = cmd->run(argc - used, argv + used, &d);
    if (e != VG_OK) {
        char msg[600];
        if (d.code == VG_OK)
            d.code = e;
        vg_diag_format(&d, msg, sizeof msg);
        fprintf(stderr, "vigie %s%s%s: %s\n", cmd->group, cmd->sub ? " " : "",
                cmd->sub ? cmd->sub : "", msg);
        if (e == VG_USAGE)
            fprintf(stderr, "usage: %s\n", cmd->usage);
    }
    return vg_exit_code(e);
}

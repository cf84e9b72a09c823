/*
 * dtfmt.c — compiled strptime-like date/time formats.
 *
 * vg_dtfmt_compile() turns a pattern into a short byte program (op[], arg[]):
 * one instruction per conversion, literal byte, run of spaces, one-of set
 * ("[T| ]") or optional group ("[...]").  vg_dtfmt_parse() interprets it
 * over the input with no allocation and no libc call, which keeps a
 * "%Y-%m-%d %H:%M" field in the tens of nanoseconds.
 *
 * Optional groups are greedy and never backtrack: a group is tried once; if
 * it fails, the input position and fields are restored and the group is
 * skipped.  That is enough for the trailing-optional patterns vigie uses.
 *
 * Invariant: a compiled program is well formed — every OPT's arg is the index
 * just after its matching OPTEND, every SET is followed by arg SETCH ops, and
 * the program contains %Y, %m and %d outside any optional group, and %I if
 * and only if %p.
 * Memory: none; struct vg_dtfmt is caller-owned and self-contained.
 */
#include "base/dtfmt.h"

#include <string.h>

enum {
    OP_LIT = 1, /* arg: the byte */
    OP_SPACE,   /* one or more spaces or tabs */
    OP_YEAR,    /* numeric ops: arg 1 = 1-2 digits, 2 = exactly 2 */
    OP_MON,
    OP_DAY,
    OP_HOUR,
    OP_HOUR12,
    OP_MIN,
    OP_SEC,
    OP_AMPM,
    OP_ZONE,
    OP_FRAC,
    OP_OPT,    /* arg: index after the matching OPTEND */
    OP_OPTEND,
    OP_SET,    /* arg: number of SETCH ops that follow */
    OP_SETCH   /* arg: one accepted byte (space = a run of spaces) */
};

#define MAX_DEPTH 8

static const struct {
    const char *name, *pattern;
} named[] = {
    {"iso", "%Y-%m-%d[[T| ]%H:%M[:%S[%f]][%z]]"},
    {"fr", "%d/%m/%Y[ %H:%M[:%S]]"},
    {"us12", "%m/%d/%Y %I:%M[:%S] %p"},
    {"compact", "%Y%m%d[%H%M[%S]]"},
};

/* ---- compiling -------------------------------------------------------- */

static int emit(struct vg_dtfmt *f, int op, int arg)
{
    if (f->nop >= VG_DTFMT_MAX)
        return -1;
    f->op[f->nop] = (unsigned char)op;
    f->arg[f->nop++] = (unsigned char)arg;
    return 0;
}

/* If pat[i] == '[' opens "[c|c|...]" of single plain bytes, return the
 * index of its ']', else 0. */
static size_t set_end(const char *pat, size_t i)
{
    size_t j = i + 1;
    for (;;) {
        char c = pat[j];
        if (c == '\0' || c == '[' || c == ']' || c == '%' || c == '|')
            return 0;
        if (pat[j + 1] == ']')
            return j > i + 1 ? j + 1 : 0;
        if (pat[j + 1] != '|')
            return 0;
        j += 2;
    }
}

static int conv_op(char c)
{
    switch (c) {
    case 'Y': return OP_YEAR;
    case 'm': return OP_MON;
    case 'd': return OP_DAY;
    case 'H': return OP_HOUR;
    case 'I': return OP_HOUR12;
    case 'M': return OP_MIN;
    case 'S': return OP_SEC;
    case 'p': return OP_AMPM;
    case 'z': return OP_ZONE;
    case 'f': return OP_FRAC;
    default: return 0;
    }
}

static int is_num(int op)
{
    return op >= OP_YEAR && op <= OP_SEC;
}

/* A 1-2 digit field directly followed by another numeric field (maybe
 * across group brackets, as in "%Y%m%d[%H%M]") must take exactly 2 digits. */
static void fix_widths(struct vg_dtfmt *f)
{
    for (size_t i = 0; i < f->nop; i++) {
        if (!is_num(f->op[i]) || f->op[i] == OP_YEAR)
            continue;
        size_t j = i + 1;
        while (j < f->nop && (f->op[j] == OP_OPT || f->op[j] == OP_OPTEND))
            j++;
        int fixed = f->op[i] == OP_MIN || f->op[i] == OP_SEC ||
                    (j < f->nop && is_num(f->op[j]));
        f->arg[i] = fixed ? 2 : 1;
    }
}

/* Emit the program for `pat`; returns a static reason or NULL. */
static const char *compile_ops(const char *pat, struct vg_dtfmt *f)
{
    size_t stack[MAX_DEPTH], depth = 0;
    unsigned seen = 0;
    for (size_t i = 0; pat[i]; i++) {
        char c = pat[i];
        int op, rc = 0;
        size_t e;
        if (c == '%') {
            c = pat[++i];
            if (c == '%') {
                rc = emit(f, OP_LIT, '%');
            } else if ((op = conv_op(c)) != 0) {
                /* the date fields must not sit inside an optional group */
                if (depth == 0 || op > OP_DAY)
                    seen |= 1u << op;
                rc = emit(f, op, op == OP_YEAR ? 4 : 1);
            } else {
                return c ? "unknown conversion after '%'" : "pattern ends with '%'";
            }
        } else if (c == '[' && (e = set_end(pat, i)) != 0) {
            rc = emit(f, OP_SET, (int)((e - i) / 2));
            for (i++; i < e && rc == 0; i += 2)
                rc = emit(f, OP_SETCH, (unsigned char)pat[i]);
            i = e;
        } else if (c == '[') {
            if (depth == MAX_DEPTH)
                return "optional groups nested too deep";
            stack[depth++] = f->nop;
            rc = emit(f, OP_OPT, 0);
        } else if (c == ']') {
            if (depth == 0)
                return "']' without '['";
            rc = emit(f, OP_OPTEND, 0);
            f->arg[stack[--depth]] = (unsigned char)f->nop;
        } else if (c == '|') {
            return "'|' outside a one-of set like [T| ]";
        } else {
            rc = emit(f, c == ' ' ? OP_SPACE : OP_LIT, (unsigned char)c);
        }
        if (rc != 0)
            return "pattern too long";
    }
    if (depth != 0)
        return "'[' without ']'";
    if ((seen & (1u << OP_YEAR | 1u << OP_MON | 1u << OP_DAY)) !=
        (1u << OP_YEAR | 1u << OP_MON | 1u << OP_DAY))
        return "pattern needs %Y, %m and %d outside optional groups";
    if (!(seen & 1u << OP_HOUR12) != !(seen & 1u << OP_AMPM))
        return "%I and %p go together";
    if ((seen & 1u << OP_HOUR) && (seen & 1u << OP_HOUR12))
        return "%H and %I both given";
    return NULL;
}

enum vg_err vg_dtfmt_compile(const char *pattern, struct vg_dtfmt *out,
                             struct vg_diag *d)
{
    const char *pat = pattern;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcmp(pattern, named[i].name) == 0)
            pat = named[i].pattern;
    if (strlen(pattern) >= sizeof out->text)
        return vg_fail(d, VG_LIMIT, "", 0, 0,
                       "date format \"%.40s...\" is longer than %zu bytes",
                       pattern, sizeof out->text - 1);
    memcpy(out->text, pattern, strlen(pattern) + 1);
    const char *why = compile_ops(pat, out);
    if (why != NULL) {
        enum vg_err e = vg_fail(d, VG_PARSE, "", 0, 0,
                                "date format \"%s\": %s (named formats: iso, "
                                "fr, us12, compact)", out->text, why);
        memset(out, 0, sizeof *out);
        return e;
    }
    fix_widths(out);
    return VG_OK;
}

/* ---- parsing ---------------------------------------------------------- */

struct pstate {
    const char *s;
    size_t len, pos;
    struct vg_dt dt;
    int ampm;        /* 0 none, 1 AM, 2 PM */
    int h12;         /* hour came from %I */
    const char *opt_why; /* why the furthest skipped group failed */
    size_t opt_pos;      /* and where */
};

/* Read between min and max digits. */
static const char *digits(struct pstate *st, int min, int max, int *v)
{
    int n = 0, x = 0;
    while (n < max && st->pos < st->len) {
        unsigned c = (unsigned char)st->s[st->pos] - '0';
        if (c > 9)
            break;
        x = x * 10 + (int)c;
        st->pos++;
        n++;
    }
    *v = x;
    return n < min ? "expected a digit" : NULL;
}

static const char *parse_zone(struct pstate *st)
{
    const char *s = st->s;
    int h, m = 0;
    if (st->pos < st->len && (s[st->pos] == 'Z' || s[st->pos] == 'z')) {
        st->pos++;
        st->dt.has_offset = 1;
        st->dt.offset = 0;
        return NULL;
    }
    if (st->pos >= st->len || (s[st->pos] != '+' && s[st->pos] != '-'))
        return "expected Z or a UTC offset like +02:00";
    int neg = s[st->pos++] == '-';
    if (digits(st, 2, 2, &h))
        return "expected 2-digit offset hours";
    if (st->pos < st->len && s[st->pos] == ':') {
        st->pos++;
        if (digits(st, 2, 2, &m))
            return "expected 2-digit offset minutes";
    } else if (st->pos < st->len && s[st->pos] >= '0' && s[st->pos] <= '9') {
        if (digits(st, 2, 2, &m))
            return "expected 2-digit offset minutes";
    }
    if (h > 14 || m > 59 || (h == 14 && m > 0))
        return "UTC offset out of range";
    st->dt.has_offset = 1;
    st->dt.offset = (int32_t)((neg ? -1 : 1) * (h * 3600 + m * 60));
    return NULL;
}

static const char *parse_ampm(struct pstate *st)
{
    if (st->pos + 2 > st->len)
        return "expected AM/PM";
    char a = (char)(st->s[st->pos] | 0x20), b = (char)(st->s[st->pos + 1] | 0x20);
    if ((a != 'a' && a != 'p') || b != 'm')
        return "expected AM/PM";
    st->ampm = a == 'a' ? 1 : 2;
    st->pos += 2;
    return NULL;
}

static const char *parse_frac(struct pstate *st)
{
    size_t p = st->pos;
    if (p + 1 >= st->len || (st->s[p] != '.' && st->s[p] != ',') ||
        st->s[p + 1] < '0' || st->s[p + 1] > '9')
        return NULL; /* optional: nothing to take */
    int v;
    st->pos++;
    digits(st, 1, 9, &v);
    if (st->pos < st->len && st->s[st->pos] >= '0' && st->s[st->pos] <= '9')
        return "more than 9 fractional digits";
    return NULL;
}

static const char *run(const struct vg_dtfmt *f, size_t pc, size_t end,
                       struct pstate *st);

static const char *run_set(const struct vg_dtfmt *f, size_t pc,
                           struct pstate *st)
{
    char c = st->pos < st->len ? st->s[st->pos] : '\0';
    for (size_t k = 1; k <= f->arg[pc]; k++) {
        char want = (char)f->arg[pc + k];
        if (want == ' ' && (c == ' ' || c == '\t')) {
            while (st->pos < st->len &&
                   (st->s[st->pos] == ' ' || st->s[st->pos] == '\t'))
                st->pos++;
            return NULL;
        }
        if (c == want && st->pos < st->len) {
            st->pos++;
            return NULL;
        }
    }
    return "unexpected character";
}

static const char *run_opt(const struct vg_dtfmt *f, size_t pc,
                           struct pstate *st)
{
    struct pstate save = *st;
    const char *why = run(f, pc + 1, (size_t)f->arg[pc] - 1, st);
    if (why != NULL) {
        /* Remember the failure that got furthest into the input: that is
         * the reason to report if the text is then left unconsumed. */
        size_t fp = st->pos;
        if (st->opt_why != NULL && st->opt_pos >= fp) {
            why = st->opt_why;
            fp = st->opt_pos;
        }
        *st = save;
        if (st->opt_why == NULL || fp >= st->opt_pos) {
            st->opt_why = why;
            st->opt_pos = fp;
        }
    }
    return NULL;
}

/* One numeric field with its range check. */
static const char *run_num(int op, int width, struct pstate *st)
{
    int v;
    if (digits(st, op == OP_YEAR ? 4 : width, op == OP_YEAR ? 4 : 2, &v))
        return op == OP_YEAR ? "expected a 4-digit year" : "expected a digit";
    switch (op) {
    case OP_YEAR:
        if (v < 1)
            return "year 0000 out of range";
        st->dt.year = v;
        break;
    case OP_MON:
        if (v < 1 || v > 12)
            return v ? "month 13 or more out of range" : "month 0 out of range";
        st->dt.month = v;
        break;
    case OP_DAY:
        if (v < 1 || v > 31)
            return "day out of range";
        st->dt.day = v;
        break;
    case OP_HOUR:
        if (v > 23)
            return "hour 24 or more out of range";
        st->dt.hour = v;
        st->dt.has_time = 1;
        break;
    case OP_HOUR12:
        if (v < 1 || v > 12)
            return "12-hour clock hour not in 1..12";
        st->dt.hour = v;
        st->dt.has_time = 1;
        st->h12 = 1;
        break;
    case OP_MIN:
        if (v > 59)
            return "minute 60 or more out of range";
        st->dt.min = v;
        break;
    default:
        if (v > 59)
            return "second 60 or more out of range";
        st->dt.sec = v;
        break;
    }
    return NULL;
}

/* Interpret ops [pc, end). */
static const char *run(const struct vg_dtfmt *f, size_t pc, size_t end,
                       struct pstate *st)
{
    const char *why = NULL;
    while (pc < end && why == NULL) {
        int op = f->op[pc];
        switch (op) {
        case OP_LIT:
            if (st->pos >= st->len || (unsigned char)st->s[st->pos] != f->arg[pc])
                return "unexpected character";
            st->pos++;
            break;
        case OP_SPACE:
            if (st->pos >= st->len ||
                (st->s[st->pos] != ' ' && st->s[st->pos] != '\t'))
                return pc + 1 < end && f->op[pc + 1] == OP_AMPM
                           ? "expected a space and AM/PM"
                           : "expected a space";
            while (st->pos < st->len &&
                   (st->s[st->pos] == ' ' || st->s[st->pos] == '\t'))
                st->pos++;
            break;
        case OP_AMPM:
            why = parse_ampm(st);
            break;
        case OP_ZONE:
            why = parse_zone(st);
            break;
        case OP_FRAC:
            why = parse_frac(st);
            break;
        case OP_OPT:
            why = run_opt(f, pc, st);
            pc = (size_t)f->arg[pc] - 1; /* the OPTEND; loop steps past */
            break;
        case OP_OPTEND:
            break;
        case OP_SET:
            why = run_set(f, pc, st);
            pc += f->arg[pc];
            break;
        default:
            why = run_num(op, f->arg[pc], st);
            break;
        }
        pc++;
    }
    return why;
}

static int days_in_month(int y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dim[m - 1];
}

enum vg_err vg_dtfmt_parse(const struct vg_dtfmt *f, const char *s, size_t len,
                           struct vg_dt *out, const char **why)
{
    struct pstate st;
    const char *w = NULL;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    st.s = s;
    st.len = len;
    st.pos = 0;
    memset(&st.dt, 0, sizeof st.dt);
    st.ampm = st.h12 = 0;
    st.opt_why = NULL;
    st.opt_pos = 0;
    if (f->nop == 0)
        w = "format not compiled";
    else if ((w = run(f, 0, f->nop, &st)) != NULL)
        goto out;
    else if (st.pos != st.len)
        w = st.opt_why ? st.opt_why : "trailing characters";
    else if (st.dt.year == 0 || st.dt.month == 0 || st.dt.day == 0)
        w = "incomplete date"; /* unreachable: compile requires Y, m, d */
    else if (st.dt.day > days_in_month(st.dt.year, st.dt.month))
        w = st.dt.month == 2 && st.dt.day == 29 ? "29 February in a common year"
                                                : "day past the end of the month";
    else if (st.h12 && st.ampm == 0)
        w = "expected AM/PM";
    if (w == NULL && st.h12)
        st.dt.hour = st.dt.hour % 12 + (st.ampm == 2 ? 12 : 0);
out:
    if (why)
        *why = w;
    if (w != NULL)
        return VG_PARSE;
    *out = st.dt;
    return VG_OK;
}

/*
 * scrub.c — replace personal identifiers in free text by typed placeholders.
 *
 * The scanner walks the input once.  At every token start (the previous
 * character is not a letter or digit) it tries the detectors in a fixed
 * order — e-mail, IBAN, NIR, phone, plates, date of birth, age, house
 * number, person names — and the first that matches decides: it may keep a
 * prefix (the civilité "M. ", the trigger "né le ") and replaces the rest by
 * "[KIND]".  Otherwise one byte is copied.  Detectors only read the input
 * (and, for ages, the output written so far), so the original text never
 * leaves the caller's memory.
 *
 * Invariant: every byte of the input is either copied once or covered by
 * exactly one replaced span; spans never overlap.
 * Memory: only the caller's output buffer grows; the first-name set is a
 * sorted array of folded names owned by struct vg_scrub_names.
 */
#include "ingest/scrub.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/alloc.h"
#include "ingest/normalize.h"

#define DEFAULT_MAX_LEN ((size_t)1 << 20)
#define FOLD_CAP 64
#define MAX_NAMES 100000
#define MAX_NAME_TOKENS 5

struct vg_scrub_names {
    char **v; /* sorted folded names */
    size_t n;
};

struct ctx {
    const char *s;
    size_t len;
    const struct vg_scrub_policy *pol;
    const struct vg_buf *out;
    size_t out_start;
};

struct match {
    size_t keep, len; /* bytes copied verbatim, then bytes replaced */
    enum vg_scrub_kind kind;
};

const char *vg_scrub_kind_name(enum vg_scrub_kind k)
{
    static const char *const names[] = {
#define VG__SCRUB_NAME(k, s) s,
        VG_SCRUB_KINDS(VG__SCRUB_NAME)
#undef VG__SCRUB_NAME
    };
    return (unsigned)k < VG_SCRUB_NKINDS ? names[k] : "?";
}

enum vg_err vg_scrub_source_parse(const char *s, enum vg_scrub_source *out)
{
    static const char *const names[] = {"police", "housing", "health", "social"};
    for (int k = 0; s && k < 4; k++)
        if (strcmp(s, names[k]) == 0) {
            *out = (enum vg_scrub_source)k;
            return VG_OK;
        }
    return VG_USAGE;
}

/* ---- word lists (folded: lower case, no accents) ---------------------- */

static const char *const CIVILITES[] = {
    "m", "mm", "mr", "mme", "mmes", "mlle", "mlles", "melle", "me", "dr", "pr",
    "monsieur", "madame", "mademoiselle", "maitre", "docteur", "messieurs",
    "mesdames", NULL};
/* Words after which a capitalised word is a name. */
static const char *const NAME_TRIGGERS[] = {
    "nomme", "nommee", "denomme", "denommee", "prenomme", "prenommee",
    "l'individu", "l'interesse", "l'interessee", "sieur", "nommant", "nee",
    "epouse", "veuve", "alias", "surnomme", "surnommee", "identite", NULL};
/* Role nouns after which a capitalised word is a name ("victime Duval
 * Claire", "témoin : MARTIN"); a civilité right after is left to its own
 * rule so it is kept. */
static const char *const ROLE_TRIGGERS[] = {
    "victime", "requerant", "requerante", "temoin", "proprietaire",
    "conducteur", "conductrice", "locataire", "gerant", "gerante",
    "plaignant", "plaignante", "parents", "interpelle", "interpellee",
    "cause", "voisin", "voisine", "chauffeur", "agent", "gardien",
    "gardienne", "mere", "pere", "fils", "fille", "soeur", "frere",
    "conjoint", "conjointe", "compagnon", "compagne", "concubin",
    "concubine", "epoux", NULL};

/* Vehicle makes and models: after a role noun they are not names. */
static const char *const MAKES[] = {
    "peugeot", "renault", "citroen", "dacia", "clio", "twingo", "megane",
    "mercedes", "bmw", "audi", "volkswagen", "vw", "golf", "polo", "toyota",
    "ford", "opel", "fiat", "nissan", "kia", "hyundai", "seat", "skoda",
    "tesla", "yamaha", "honda", "suzuki", "kawasaki", "piaggio", "vespa",
    "mbk", "ds", "c3", "c4", "iveco", "scania", "volvo", NULL};

/* Words that start a street, a building or a named place: a name that
 * follows them is part of the place ("rue Pierre Blanc"). */
static const char *const PLACE_WORDS[] = {
    "rue", "r", "avenue", "av", "bd", "boulevard", "bld", "place", "pl",
    "quai", "allee", "allees", "impasse", "imp", "chemin", "route", "rte",
    "cours", "square", "passage", "esplanade", "rond-point", "lotissement",
    "residence", "cite", "faubourg", "chaussee", "sentier", "parvis", "voie",
    "port", "ecole", "college", "lycee", "gymnase", "stade", "salle", "parc",
    "hopital", "centre", "gare", "pont", "espace", "complexe", "mediatheque",
    "halle", "halles", "marche", "eglise", "clinique", "maison", "foyer",
    "saint", "sainte", "st", "ste", "hotel", "cinema", "bar", "cafe",
    "brasserie", "restaurant", "pharmacie", "camping", "jardin", "jardins",
    "bibliotheque", "piscine", "musee", "theatre", "club", "association",
    "ehpad", "creche", "carrefour", "zone", "za", "zi", "lieu-dit", "domaine",
    "chateau", "quartier", "groupe", "institut", "fondation", "rond", "square",
    "tour", "batiment", "bat", "immeuble", "boulangerie", "tabac", NULL};
/* Upper-case words that are never surnames. */
static const char *const ACRONYMS[] = {
    "pv", "mc", "ras", "sdf", "bac", "pm", "pn", "gn", "csu", "samu", "smur",
    "sdis", "vl", "pl", "vsav", "opj", "apj", "asvp", "gav", "ipm", "crs",
    "sncf", "edf", "rn", "rd", "vtt", "sms", "gps", "cb", "rib", "zac", "zi",
    "hlm", "ehpad", "ccas", "caf", "cpam", "tgi", "tj", "siv", "fni", "ok",
    "nb", "rdv", "tv", "wc", "ddn", "nir", "iban", "tel", "adn", "itt", "umj",
    "fr", "pc", "pmr", "nom", "email", "plaque", "age", "numero", "date",
    "naissance", "cr", "pj", "mineur", "majeur", "police", "gendarmerie",
    "ivresse", "vol", "secours", "pompiers", "urgent", "urgence", "appel",
    "tapage", "rixe", "info", "suite", "objet", "lieu", "motif", "svp", "ad",
    "ter", "bis", "sa", "sarl", "sas", "npai", "cnil", "rgpd", "vtc", NULL};
/* After a civilité: functions, not names ("Monsieur le Maire"). */
static const char *const FUNCTIONS[] = {
    "le", "la", "les", "maire", "prefet", "procureur", "commissaire",
    "directeur", "directrice", "president", "presidente", "adjoint",
    "adjointe", "juge", "substitut", "officier", "brigadier", "gardien",
    "chef", "agent", "x", "xx", "xxx", NULL};
/* Role nouns that precede ", 34 ans" without being names. */
static const char *const ROLES[] = {
    "victime", "homme", "femme", "individu", "mineur", "mineure", "enfant",
    "fille", "garcon", "jeune", "conducteur", "conductrice", "personne",
    "auteur", "requerant", "requerante", "temoin", "pieton", "pietonne",
    "cycliste", "plaignant", "plaignante", "mere", "pere", "fils",
    "adolescent", "adolescente", "patient", "patiente", "voisin", "voisine",
    "client", "cliente", "gerant", "gerante", "occupant", "occupante",
    "locataire", "proprietaire", "majeur", "majeure", "senior", "celui-ci",
    "celle-ci", "lui", "elle", "dame", "monsieur", "madame", "epoux",
    "epouse", "compagnon", "compagne", "ami", "amie", "frere", "soeur", NULL};
static const char *const PARTICLES[] = {"de", "du", "des", "van", "von", "da",
                                        "di", "del", "ben", "el", "le", "la",
                                        NULL};
static const char *const MONTHS[] = {
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
    "septembre", "octobre", "novembre", "decembre", NULL};
static const char *const PLATE_UNITS[] = {"H", "KM", "M", "MN", "MIN", "EUR",
                                          "CM", "KG", "G", "L", "AN", "ANS",
                                          "MM", "T", NULL};

static int in_list(const char *const *list, const char *w)
{
    for (; *list; list++)
        if (strcmp(*list, w) == 0)
            return 1;
    return 0;
}

/* ---- character helpers ------------------------------------------------ */

static int32_t cp_at(const struct ctx *c, size_t i, size_t *n)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)c->s + i,
                                          (utf8proc_ssize_t)(c->len - i), &cp);
    if (k <= 0) {
        *n = 1;
        return -1;
    }
    *n = (size_t)k;
    return cp;
}

static int is_letter(int32_t cp)
{
    if (cp < 0)
        return 0;
    utf8proc_category_t k = utf8proc_category(cp);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_MN;
}

static int is_alnum_cp(int32_t cp)
{
    return is_letter(cp) || (cp >= '0' && cp <= '9');
}

static int isalnum_ascii(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
           (ch >= 'A' && ch <= 'Z');
}

static int is_digit(const struct ctx *c, size_t i)
{
    return i < c->len && c->s[i] >= '0' && c->s[i] <= '9';
}

static int is_uc(const struct ctx *c, size_t i)
{
    return i < c->len && c->s[i] >= 'A' && c->s[i] <= 'Z';
}

static int32_t prev_cp(const struct ctx *c, size_t i)
{
    if (i == 0)
        return -1;
    size_t j = i - 1;
    while (j > 0 && i - j < 4 && ((unsigned char)c->s[j] & 0xC0) == 0x80)
        j--;
    size_t n;
    return cp_at(c, j, &n);
}

static int boundary_before(const struct ctx *c, size_t i)
{
    return !is_alnum_cp(prev_cp(c, i));
}

static int boundary_after(const struct ctx *c, size_t i)
{
    size_t n;
    return i >= c->len || !is_alnum_cp(cp_at(c, i, &n));
}

/* End of the word starting at i: letters, with inner '-', '\'' or U+2019
 * followed by a letter.  Returns i if no letter at i. */
static size_t word_end(const struct ctx *c, size_t i)
{
    size_t j = i, n;
    while (j < c->len) {
        int32_t cp = cp_at(c, j, &n);
        if (is_letter(cp)) {
            j += n;
            continue;
        }
        if (j > i && (cp == '-' || cp == '\'' || cp == 0x2019)) {
            size_t m;
            if (j + n < c->len && is_letter(cp_at(c, j + n, &m))) {
                j += n;
                continue;
            }
        }
        break;
    }
    return j;
}

/* Letter case of a word: 2 = all upper (>= 2 letters), 1 = capitalised,
 * 0 = other. */
static int word_case(const struct ctx *c, size_t i, size_t e)
{
    size_t n, letters = 0, lower = 0;
    int32_t first = cp_at(c, i, &n);
    /* "d'Estaing", "l'Hermite": look at the letter after the apostrophe */
    if ((first == 'd' || first == 'l') && i + 1 < e &&
        (c->s[i + 1] == '\'' || (unsigned char)c->s[i + 1] == 0xE2)) {
        size_t k = i + 1 + (c->s[i + 1] == '\'' ? 1 : 3);
        if (k < e && utf8proc_isupper(cp_at(c, k, &n)))
            return 1;
        return 0;
    }
    if (!utf8proc_isupper(first))
        return 0;
    for (size_t j = i; j < e; j += n) {
        int32_t cp = cp_at(c, j, &n);
        if (is_letter(cp)) {
            letters++;
            lower += utf8proc_islower(cp) != 0;
        }
    }
    return lower == 0 && letters >= 2 ? 2 : 1;
}

static size_t fold(const struct ctx *c, size_t i, size_t e, char *buf)
{
    return vg_normalize_fold(c->s + i, e - i, buf, FOLD_CAP);
}

/* Folded previous word before i (skipping spaces and "du/de/des/la/le"). */
static int prev_word_is_place(const struct ctx *c, size_t i)
{
    for (int hops = 0; hops < 3; hops++) {
        size_t j = i;
        while (j > 0 && c->s[j - 1] == ' ')
            j--;
        size_t e = j;
        while (j > 0 && (is_alnum_cp(prev_cp(c, j)) || c->s[j - 1] == '-' ||
                         c->s[j - 1] == '\'' || c->s[j - 1] == '.')) {
            j--;
            while (j > 0 && ((unsigned char)c->s[j] & 0xC0) == 0x80)
                j--;
        }
        if (j == e)
            return 0;
        char w[FOLD_CAP];
        size_t wl = fold(c, j, e, w);
        while (wl > 0 && w[wl - 1] == '.')
            w[--wl] = '\0';
        const char *p = w;
        if ((p[0] == 'l' || p[0] == 'd') && p[1] == '\'')
            p += 2;
        if (in_list(PLACE_WORDS, p))
            return 1;
        if (strcmp(p, "du") && strcmp(p, "de") && strcmp(p, "des") &&
            strcmp(p, "la") && strcmp(p, "le"))
            return 0;
        i = j;
    }
    return 0;
}

static int names_has(const struct ctx *c, size_t i, size_t e)
{
    const struct vg_scrub_names *nm = c->pol->names;
    if (nm == NULL)
        return 0;
    if (vg_scrub_names_has(nm, c->s + i, e - i))
        return 1;
    /* compound first names: "Jean-Pierre" if "Jean" is known */
    for (size_t j = i; j < e; j++)
        if (c->s[j] == '-')
            return vg_scrub_names_has(nm, c->s + i, j - i);
    return 0;
}

/* ---- checksums -------------------------------------------------------- */

int vg_scrub_nir_valid(const char *s, size_t len)
{
    if (len != 15)
        return 0;
    char d[13];
    memcpy(d, s, 13);
    if (d[5] == '2' && (d[6] == 'A' || d[6] == 'B')) {
        /* Corsica: 2A counts as 19, 2B as 18 (n - 1e6, n - 2e6) */
        d[5] = '1';
        d[6] = d[6] == 'A' ? '9' : '8';
    }
    uint64_t n = 0;
    for (size_t i = 0; i < 13; i++) {
        if (d[i] < '0' || d[i] > '9')
            return 0;
        n = n * 10 + (uint64_t)(d[i] - '0');
    }
    if (s[0] == '0' || s[13] < '0' || s[13] > '9' || s[14] < '0' || s[14] > '9')
        return 0;
    unsigned key = (unsigned)(s[13] - '0') * 10u + (unsigned)(s[14] - '0');
    return key == 97u - (unsigned)(n % 97u);
}

int vg_scrub_iban_valid(const char *s, size_t len)
{
    if (len < 15 || len > 34)
        return 0;
    if (!(s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
          s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9'))
        return 0;
    unsigned r = 0;
    for (size_t k = 0; k < len; k++) {
        char ch = s[(k + 4) % len];
        if (ch >= '0' && ch <= '9')
            r = (r * 10u + (unsigned)(ch - '0')) % 97u;
        else if (ch >= 'A' && ch <= 'Z')
            r = (r * 100u + (unsigned)(ch - 'A' + 10)) % 97u;
        else
            return 0;
    }
    return r == 1;
}

/* ---- detectors: each returns 1 and fills *m on a match ---------------- */

static int det_email(const struct ctx *c, size_t i, struct match *m)
{
    size_t j = i;
    while (j < c->len && (isalnum_ascii(c->s[j]) || strchr("._%+-", c->s[j])))
        j++;
    if (j == i || j >= c->len || c->s[j] != '@')
        return 0;
    size_t d = ++j, dots = 0, last_dot = 0;
    while (j < c->len && (isalnum_ascii(c->s[j]) || c->s[j] == '-' ||
                          (c->s[j] == '.' && j + 1 < c->len &&
                           isalnum_ascii(c->s[j + 1])))) {
        if (c->s[j] == '.') {
            dots++;
            last_dot = j;
        }
        j++;
    }
    if (j == d || dots == 0 || j - last_dot < 3)
        return 0;
    *m = (struct match){0, j - i, VG_SCRUB_EMAIL};
    return 1;
}

static int det_iban(const struct ctx *c, size_t i, struct match *m)
{
    if (!(is_uc(c, i) && is_uc(c, i + 1) && is_digit(c, i + 2) &&
          is_digit(c, i + 3)))
        return 0;
    char buf[35];
    size_t endpos[35], n = 0, j = i;
    while (j < c->len && n < 34) {
        if (is_uc(c, j) || is_digit(c, j)) {
            buf[n] = c->s[j++];
            endpos[n++] = j;
        } else if (c->s[j] == ' ' && n > 0 && (is_uc(c, j + 1) || is_digit(c, j + 1))) {
            j++;
        } else {
            break;
        }
    }
    for (size_t k = n; k >= 15; k--)
        if (boundary_after(c, endpos[k - 1]) && vg_scrub_iban_valid(buf, k)) {
            *m = (struct match){0, endpos[k - 1] - i, VG_SCRUB_IBAN};
            return 1;
        }
    return 0;
}

/* Does the text just before i (within 40 bytes) name a social-security
 * number or a procedure reference? */
static int context_has(const struct ctx *c, size_t i, const char *const *keys)
{
    size_t from = i > 40 ? i - 40 : 0;
    char w[4 * 40 + 8];
    size_t wl = vg_normalize_fold(c->s + from, i - from, w, sizeof w);
    if (wl == 0)
        return 0;
    for (; *keys; keys++)
        if (strstr(w, *keys))
            return 1;
    return 0;
}

static const char *const NIR_KEYS[] = {"secu", "nir", "insee", "securite sociale",
                                       NULL};
static const char *const REF_KEYS[] = {"pv", "proces", "procedure", "dossier",
                                       "affaire", "ticket", "reference", "ref",
                                       "mc n", "main courante", NULL};

static int det_nir(const struct ctx *c, size_t i, struct match *m)
{
    if (i >= c->len || !strchr("1234578", c->s[i]))
        return 0;
    char buf[16];
    size_t n = 0, j = i, end = i;
    while (j < c->len && n < 15) {
        char ch = c->s[j];
        int ok = (ch >= '0' && ch <= '9') ||
                 (n == 6 && buf[5] == '2' && (ch == 'A' || ch == 'B'));
        if (ok) {
            buf[n++] = ch;
            end = ++j;
        } else if ((ch == ' ' || ch == '.' || ch == '-') && j + 1 < c->len &&
                   is_digit(c, j + 1) && n > 0) {
            j++;
        } else {
            break;
        }
    }
    if (!boundary_after(c, end) || (n != 15 && n != 13))
        return 0;
    if ((n == 15 && vg_scrub_nir_valid(buf, 15)) || context_has(c, i, NIR_KEYS)) {
        *m = (struct match){0, end - i, VG_SCRUB_NIR};
        return 1;
    }
    return 0;
}

/* Digits with single separators (space . - /, one kind per number) from i,
 * and "(0)" after a country code. */
struct digits {
    size_t n, end, groups, maxg, glen[8];
    int sep;
};

static void digit_run(const struct ctx *c, size_t i, struct digits *r)
{
    size_t j = i, g = 0;
    memset(r, 0, sizeof *r);
    r->groups = 1;
    r->end = i;
    while (j < c->len && r->n < 20) {
        if (is_digit(c, j)) {
            r->n++;
            g++;
            r->end = ++j;
            if (g > r->maxg)
                r->maxg = g;
            if (r->groups <= 8)
                r->glen[r->groups - 1] = g;
            continue;
        }
        char ch = c->s[j];
        if ((ch == ' ' || ch == '.' || ch == '-' || ch == '/') && is_digit(c, j + 1)) {
            if (r->sep == 0)
                r->sep = ch;
            else if (r->sep != ch)
                break;
            r->groups++;
            g = 0;
            j++;
            continue;
        }
        size_t q = j + (ch == ' ');
        if (q + 2 < c->len && c->s[q] == '(' && c->s[q + 1] == '0' &&
            c->s[q + 2] == ')') {
            j = q + 3; /* "+33 (0)6 ..." */
            while (j < c->len && c->s[j] == ' ')
                j++;
            continue;
        }
        break;
    }
}

/* French national layouts: 0612345678, 06 12 34 56 78 (also . - /),
 * 0612 34 56 78. */
static int french_layout(const struct digits *r)
{
    if (r->n != 10)
        return 0;
    if (r->groups == 1)
        return 1;
    if (r->groups == 5 && r->maxg == 2)
        return 1;
    return r->groups == 4 && r->sep != '/' && r->glen[0] == 4 &&
           r->glen[1] == 2 && r->glen[2] == 2 && r->glen[3] == 2;
}

static int det_phone(const struct ctx *c, size_t i, struct match *m)
{
    struct digits r;
    if (c->s[i] == '+') {
        if (!is_digit(c, i + 1))
            return 0;
        digit_run(c, i + 1, &r);
        if (r.n < 8 || r.n > 15 || r.maxg > 4 || r.sep == '/' ||
            !boundary_after(c, r.end))
            return 0;
        if (c->s[i + 1] == '3' && c->s[i + 2] == '3' && r.n != 11)
            return 0;
    } else if (c->s[i] == '0' && is_digit(c, i + 1)) {
        digit_run(c, i, &r);
        if (!boundary_after(c, r.end))
            return 0;
        if (c->s[i + 1] == '0') { /* 0033 6 12 ..., 0044 20 ... */
            if (r.n < 11 || r.n > 15 || r.sep == '/' || (r.groups > 1 && r.maxg > 4))
                return 0;
        } else {
            if (!french_layout(&r))
                return 0;
            if (r.groups == 1 && context_has(c, i, REF_KEYS))
                return 0;
        }
    } else {
        return 0;
    }
    *m = (struct match){0, r.end - i, VG_SCRUB_TEL};
    return 1;
}

static int plate_sep(const struct ctx *c, size_t *j)
{
    if (*j < c->len && (c->s[*j] == '-' || c->s[*j] == ' ')) {
        (*j)++;
        return 1;
    }
    return 0;
}

static int det_plate_siv(const struct ctx *c, size_t i, struct match *m)
{
    size_t j = i;
    int lower = c->s[i] >= 'a' && c->s[i] <= 'z';
    for (int k = 0; k < 2; k++, j++)
        if (!(is_uc(c, j) || (lower && j < c->len && c->s[j] >= 'a' && c->s[j] <= 'z')))
            return 0;
    int s1 = plate_sep(c, &j);
    for (int k = 0; k < 3; k++, j++)
        if (!is_digit(c, j))
            return 0;
    int s2 = plate_sep(c, &j);
    for (int k = 0; k < 2; k++, j++)
        if (!(is_uc(c, j) || (lower && j < c->len && c->s[j] >= 'a' && c->s[j] <= 'z')))
            return 0;
    if (!boundary_after(c, j) || (lower && !(s1 && s2 && c->s[i + 2] == '-')))
        return 0;
    *m = (struct match){0, j - i, VG_SCRUB_PLAQUE};
    return 1;
}

static int det_plate_fni(const struct ctx *c, size_t i, struct match *m)
{
    size_t j = i, nd = 0, nl = 0;
    while (is_digit(c, j) && nd < 5)
        j++, nd++;
    if (nd < 1 || nd > 4)
        return 0;
    plate_sep(c, &j);
    size_t ls = j;
    while (is_uc(c, j) && nl < 4)
        j++, nl++;
    if (nl < 1 || nl > 3)
        return 0;
    char letters[4] = {0};
    memcpy(letters, c->s + ls, nl);
    if (in_list(PLATE_UNITS, letters))
        return 0;
    plate_sep(c, &j);
    if (is_digit(c, j) && is_digit(c, j + 1)) {
        j += 2;
        if (c->s[j - 2] == '9' && c->s[j - 1] == '7' && is_digit(c, j))
            j++;
    } else if (j + 1 < c->len && c->s[j] == '2' && (c->s[j + 1] == 'A' || c->s[j + 1] == 'B')) {
        j += 2;
    } else {
        return 0;
    }
    if (!boundary_after(c, j))
        return 0;
    *m = (struct match){0, j - i, VG_SCRUB_PLAQUE};
    return 1;
}

static int starts_ci(const struct ctx *c, size_t i, const char *lit)
{
    size_t n = strlen(lit);
    if (n > c->len - i)
        return 0;
    for (size_t k = 0; k < n; k++) {
        char a = c->s[i + k], b = lit[k];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return 1;
}

static size_t digits_at(const struct ctx *c, size_t i, size_t max)
{
    size_t n = 0;
    while (n < max + 1 && is_digit(c, i + n))
        n++;
    return n;
}

/* Length of a date at j ("12/03/1985", "12 mars 1985", "1er mai 1990",
 * "1985"), 0 if none. */
static size_t date_len(const struct ctx *c, size_t j)
{
    size_t a = digits_at(c, j, 4);
    if (a == 4 && (c->s[j] == '1' || c->s[j] == '2') && boundary_after(c, j + 4))
        return 4;
    if (a < 1 || a > 2)
        return 0;
    size_t k = j + a;
    if (k < c->len && strchr("/.-", c->s[k])) {
        char sp = c->s[k];
        size_t b = digits_at(c, k + 1, 2);
        if (b < 1 || b > 2 || k + 1 + b >= c->len || c->s[k + 1 + b] != sp)
            return 0;
        size_t y = digits_at(c, k + 2 + b, 4);
        if (y != 2 && y != 4)
            return 0;
        return k + 2 + b + y - j;
    }
    if (starts_ci(c, k, "er"))
        k += 2;
    if (k >= c->len || c->s[k] != ' ')
        return 0;
    size_t we = word_end(c, k + 1);
    char w[FOLD_CAP];
    if (we == k + 1 || !fold(c, k + 1, we, w) || !in_list(MONTHS, w))
        return 0;
    if (we < c->len && c->s[we] == ' ' && digits_at(c, we + 1, 4) == 4)
        return we + 5 - j;
    return 0;
}

static int det_birth(const struct ctx *c, size_t i, struct match *m)
{
    static const char *const trig[] = {
        "n\xc3\xa9(e) le", "n\xc3\xa9" "e le", "n\xc3\xa9 le", "nee le",
        "n\xc3\xa9(e) en", "n\xc3\xa9" "e en", "n\xc3\xa9 en", "nee en",
        "date de naissance", "ddn", "n\xc3\x89 le", "n\xc3\x89" "e le", NULL};
    for (size_t t = 0; trig[t]; t++) {
        if (!starts_ci(c, i, trig[t]))
            continue;
        size_t j = i + strlen(trig[t]);
        if (!boundary_after(c, j))
            continue;
        while (j < c->len && (c->s[j] == ' ' || c->s[j] == ':'))
            j++;
        size_t n = date_len(c, j);
        if (n == 0)
            continue;
        *m = (struct match){j - i, n, VG_SCRUB_DATE_NAISSANCE};
        return 1;
    }
    return 0;
}

/* Does the output written so far end with a name placeholder, or with
 * "âgé(e) de"?  Then a following "34 ans" is that person's age. */
static int age_context(const struct ctx *c)
{
    const char *o = c->out->p ? c->out->p + c->out_start : "";
    size_t n = c->out->p ? c->out->len - c->out_start : 0;
    while (n > 0 && o[n - 1] == ' ')
        n--;
    static const char *const lead[] = {"\xc3\xa2g\xc3\xa9 de", "\xc3\xa2g\xc3\xa9" "e de",
                                       "ag\xc3\xa9 de", "ag\xc3\xa9" "e de", "age de",
                                       "agee de", "\xc3\x82g\xc3\xa9 de",
                                       "\xc3\x82g\xc3\xa9" "e de", NULL};
    for (size_t k = 0; lead[k]; k++) {
        size_t l = strlen(lead[k]);
        if (n >= l && memcmp(o + n - l, lead[k], l) == 0)
            return 1;
    }
    if (n > 0 && (o[n - 1] == ',' || o[n - 1] == '(' || o[n - 1] == '-'))
        n--;
    while (n > 0 && o[n - 1] == ' ')
        n--;
    return n >= 5 && memcmp(o + n - 5, "[NOM]", 5) == 0;
}

static size_t ans_after(const struct ctx *c, size_t i)
{
    size_t d = digits_at(c, i, 3);
    if (d < 1 || d > 3)
        return 0;
    size_t k = i + d;
    if (k < c->len && c->s[k] == ' ')
        k++;
    if (starts_ci(c, k, "ans") && boundary_after(c, k + 3))
        return k + 3 - i;
    if (starts_ci(c, k, "an") && boundary_after(c, k + 2))
        return k + 2 - i;
    return 0;
}

static int det_age(const struct ctx *c, size_t i, struct match *m)
{
    size_t n = ans_after(c, i);
    if (n == 0 || !age_context(c))
        return 0;
    *m = (struct match){0, n, VG_SCRUB_AGE};
    return 1;
}

static int det_house_number(const struct ctx *c, size_t i, struct match *m)
{
    static const char *const sfx[] = {"bis", "ter", "quater", "b", "t", NULL};
    if (!(c->pol->flags & VG_SCRUB_HOUSE_NUMBERS))
        return 0;
    size_t d = digits_at(c, i, 4);
    if (d < 1 || d > 4)
        return 0;
    size_t j = i + d, rep;
    size_t k = j + (j < c->len && c->s[j] == ' ');
    size_t we = word_end(c, k);
    char w[FOLD_CAP];
    if (we > k && fold(c, k, we, w) && in_list(sfx, w) && boundary_after(c, we))
        j = we;
    rep = j;
    if (j < c->len && c->s[j] == ',')
        j++;
    if (j >= c->len || c->s[j] != ' ')
        return 0;
    we = word_end(c, j + 1);
    if (we == j + 1 || !fold(c, j + 1, we, w))
        return 0;
    if (we < c->len && c->s[we] == '.')
        we++;
    if (!in_list(PLACE_WORDS, w) || strcmp(w, "saint") == 0)
        return 0;
    *m = (struct match){0, rep - i, VG_SCRUB_NUMERO};
    return 1;
}

/* ---- person names ----------------------------------------------------- */

/* End of a run of name tokens starting at j ("Jean DUPONT", "de Villepin",
 * "Boulanger Pierre"); j if none.  The first token must be capitalised; the
 * next ones are taken when upper case, known first names, after a first
 * name or a particle. */
static size_t name_seq(const struct ctx *c, size_t j)
{
    size_t pos = j, end = j, count = 0;
    int prev_first = 0, prev_particle = 0, prev_upper = 0;
    while (count < MAX_NAME_TOKENS && pos < c->len) {
        size_t we = word_end(c, pos);
        char w[FOLD_CAP];
        if (we == pos || !fold(c, pos, we, w))
            break;
        int wc = word_case(c, pos, we);
        if (wc == 0) {
            if (!prev_particle && in_list(PARTICLES, w) && we < c->len &&
                c->s[we] == ' ') {
                prev_particle = 1;
                pos = we + 1;
                continue;
            }
            break;
        }
        int initial = we - pos == 1 && we < c->len && c->s[we] == '.';
        if ((wc == 2 && in_list(ACRONYMS, w)) || in_list(PLACE_WORDS, w))
            break;
        int first = names_has(c, pos, we);
        /* "DUPONT Jean": a capitalised word right after an upper-case
         * surname is its first name */
        int ok = count == 0 ? !in_list(FUNCTIONS, w) || initial
                            : wc == 2 || first || prev_first || prev_particle ||
                                  (count == 1 && prev_upper);
        if (!ok)
            break;
        end = initial ? we + 1 : we;
        count++;
        prev_first = first || initial;
        prev_upper = wc == 2;
        prev_particle = 0;
        if (end < c->len && c->s[end] == ' ')
            pos = end + 1;
        else
            break;
    }
    return end;
}

/* Next word after `we` (one space), its bounds and case. */
static int next_word(const struct ctx *c, size_t we, size_t *ns, size_t *ne,
                     char *w)
{
    if (we >= c->len || c->s[we] != ' ')
        return -1;
    *ns = we + 1;
    *ne = word_end(c, *ns);
    if (*ne == *ns || !fold(c, *ns, *ne, w))
        return -1;
    return word_case(c, *ns, *ne);
}

static int det_name_rules(const struct ctx *c, size_t i, size_t we,
                          const char *w, int wc, struct match *m)
{
    size_t ns, ne, e;
    char nw[FOLD_CAP];
    int place = -1; /* lazily computed prev_word_is_place */
    /* first name + surname, or SURNAME + first name */
    if (wc >= 1 && names_has(c, i, we)) {
        int nwc = next_word(c, we, &ns, &ne, nw);
        if (nwc >= 1 && !(nwc == 2 && in_list(ACRONYMS, nw)) &&
            !in_list(PLACE_WORDS, nw) && !(place = prev_word_is_place(c, i))) {
            e = name_seq(c, i);
            if (e >= ne) {
                *m = (struct match){0, e - i, VG_SCRUB_NOM};
                return 1;
            }
        }
    }
    if (wc == 2 && !in_list(ACRONYMS, w)) {
        int nwc = next_word(c, we, &ns, &ne, nw);
        if (nwc >= 1 && names_has(c, ns, ne) &&
            !(place >= 0 ? place : (place = prev_word_is_place(c, i)))) {
            e = name_seq(c, i);
            if (e >= ne) {
                *m = (struct match){0, e - i, VG_SCRUB_NOM};
                return 1;
            }
        }
    }
    /* "Dupont, 34 ans", "DUPONT (34 ans)" */
    if (wc >= 1 && !in_list(ROLES, w) && !in_list(ACRONYMS, w) &&
        !in_list(PLACE_WORDS, w)) {
        size_t k = we;
        if (k < c->len && c->s[k] == ',')
            k++;
        if (k < c->len && c->s[k] == ' ')
            k++;
        if (k < c->len && c->s[k] == '(')
            k++;
        if (k > we && ans_after(c, k) &&
            !(place >= 0 ? place : prev_word_is_place(c, i))) {
            *m = (struct match){0, we - i, VG_SCRUB_NOM};
            return 1;
        }
    }
    return 0;
}

static int det_name(const struct ctx *c, size_t i, struct match *m)
{
    size_t n;
    if (!is_letter(cp_at(c, i, &n)))
        return 0;
    size_t we = word_end(c, i);
    char w[FOLD_CAP];
    if (!fold(c, i, we, w))
        return 0;
    int wc = word_case(c, i, we);
    int civ = wc >= 1 && in_list(CIVILITES, w);
    int role = !civ && in_list(ROLE_TRIGGERS, w);
    if (civ || role || in_list(NAME_TRIGGERS, w)) {
        size_t j = we;
        if (civ && j < c->len && c->s[j] == '.')
            j++;
        size_t j0 = j;
        while (j < c->len && (c->s[j] == ' ' || (!civ && c->s[j] == ':')))
            j++;
        if (j == j0 || j - j0 > 3 || (civ && prev_word_is_place(c, i)))
            return 0;
        char nw[FOLD_CAP];
        size_t nwe = word_end(c, j);
        if (role && (nwe == j || !fold(c, j, nwe, nw) || in_list(CIVILITES, nw) ||
                     in_list(ROLES, nw) || in_list(MAKES, nw)))
            return det_name_rules(c, i, we, w, wc, m);
        size_t e = name_seq(c, j);
        if (e == j)
            return role ? det_name_rules(c, i, we, w, wc, m) : 0;
        *m = (struct match){j - i, e - j, VG_SCRUB_NOM};
        return 1;
    }
    return det_name_rules(c, i, we, w, wc, m);
}

/* ---- driver ----------------------------------------------------------- */

static int detect(const struct ctx *c, size_t i, struct match *m)
{
    char ch = c->s[i];
    int digit = ch >= '0' && ch <= '9';
    if (isalnum_ascii(ch) && det_email(c, i, m))
        return 1;
    if (digit)
        return det_nir(c, i, m) || det_phone(c, i, m) ||
               det_plate_fni(c, i, m) || det_age(c, i, m) ||
               det_house_number(c, i, m);
    if (ch == '+')
        return det_phone(c, i, m);
    return det_iban(c, i, m) || det_plate_siv(c, i, m) ||
           det_birth(c, i, m) || det_name(c, i, m);
}

enum vg_err vg_scrub(const struct vg_scrub_policy *pol, const char *in,
                     size_t len, struct vg_buf *out,
                     struct vg_scrub_stats *stats)
{
    size_t maxl = pol->max_len ? pol->max_len : DEFAULT_MAX_LEN;
    if (stats) {
        memset(stats->count, 0, sizeof stats->count);
        stats->dropped = 0;
        stats->nhits = 0;
    }
    if (len > maxl)
        return VG_LIMIT;
    enum vg_err e = vg_buf_reserve(out, len);
    if (e != VG_OK)
        return e;
    if (pol->source == VG_SCRUB_SRC_PARTNER_HEALTH ||
        pol->source == VG_SCRUB_SRC_PARTNER_SOCIAL) {
        if (stats)
            stats->dropped = 1;
        return VG_OK;
    }
    struct ctx c = {in, len, pol, out, out->len};
    size_t i = 0;
    while (i < len && e == VG_OK) {
        struct match m;
        if (((unsigned char)in[i] & 0xC0) != 0x80 && boundary_before(&c, i) &&
            detect(&c, i, &m)) {
            e = vg_buf_add(out, in + i, m.keep);
            if (e == VG_OK)
                e = vg_buf_printf(out, "[%s]", vg_scrub_kind_name(m.kind));
            if (stats) {
                stats->count[m.kind]++;
                if (stats->hits && stats->nhits < stats->hits_cap)
                    stats->hits[stats->nhits] =
                        (struct vg_scrub_hit){i + m.keep, m.len, m.kind};
                stats->nhits++;
            }
            i += m.keep + m.len;
            continue;
        }
        e = vg_buf_addc(out, in[i]);
        i++;
    }
    return e;
}

/* ---- first-name set --------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void vg_scrub_names_free(struct vg_scrub_names *nm)
{
    if (nm == NULL)
        return;
    for (size_t k = 0; k < nm->n; k++)
        vg_free(nm->v[k]);
    vg_free(nm->v);
    vg_free(nm);
}

enum vg_err vg_scrub_names_parse(const char *text, size_t len,
                                 const char *name, struct vg_scrub_names **out,
                                 struct vg_diag *d)
{
    enum vg_err e = VG_OK;
    size_t cap = 0, line = 0, i = 0;
    struct vg_scrub_names *nm = vg_calloc(1, sizeof *nm);
    *out = NULL;
    if (nm == NULL)
        return VG_NOMEM;
    while (i < len && e == VG_OK) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        line++;
        struct vg_str s = vg_str_trim((struct vg_str){text + i, j - i});
        i = j + 1;
        if (s.len == 0 || s.p[0] == '#')
            continue;
        char w[FOLD_CAP];
        if (s.len >= FOLD_CAP || !vg_normalize_fold(s.p, s.len, w, sizeof w)) {
            e = vg_fail(d, VG_LIMIT, name, line, 1,
                        "first name \"%.40s\" is longer than %d bytes", s.p,
                        FOLD_CAP - 1);
            break;
        }
        if (nm->n >= MAX_NAMES) {
            e = vg_fail(d, VG_LIMIT, name, line, 1, "more than %d names", MAX_NAMES);
            break;
        }
        if (nm->n == cap) {
            size_t nc = cap ? cap * 2 : 256;
            char **nv = vg_reallocarray(nm->v, nc, sizeof *nv);
            if (nv == NULL) {
                e = VG_NOMEM;
                break;
            }
            nm->v = nv;
            cap = nc;
        }
        if ((nm->v[nm->n] = vg_strdup(w)) == NULL)
            e = VG_NOMEM;
        else
            nm->n++;
    }
    if (e == VG_OK && nm->n > 0) {
        qsort(nm->v, nm->n, sizeof *nm->v, cmp_str);
        size_t u = 1;
        for (size_t k = 1; k < nm->n; k++) {
            if (strcmp(nm->v[k], nm->v[u - 1]) == 0)
                vg_free(nm->v[k]);
            else
                nm->v[u++] = nm->v[k];
        }
        nm->n = u;
    }
    if (e != VG_OK)
        vg_scrub_names_free(nm);
    else
        *out = nm;
    return e;
}

enum vg_err vg_scrub_names_load(const char *path, struct vg_scrub_names **out,
                                struct vg_diag *d)
{
    struct vg_buf b;
    vg_buf_init(&b, (size_t)8 << 20);
    *out = NULL;
    enum vg_err e = vg_buf_read_file(&b, path, d);
    if (e == VG_OK)
        e = vg_scrub_names_parse(b.p ? b.p : "", b.len, path, out, d);
    vg_buf_free(&b);
    return e;
}

int vg_scrub_names_has(const struct vg_scrub_names *nm, const char *w,
                       size_t len)
{
    char f[FOLD_CAP];
    if (nm == NULL || nm->n == 0 || !vg_normalize_fold(w, len, f, sizeof f))
        return 0;
    const char *key = f;
    return bsearch(&key, nm->v, nm->n, sizeof *nm->v, cmp_str) != NULL;
}

#include "claims.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define P CLAIMS_PENDING
#define R CLAIMS_REPRODUCED
#define E CLAIMS_ERRATUM
#define C CLAIMS_CITED
#define N CLAIMS_NOT_REPRODUCED

/* The registry: every claim ID of shared/CLAIMS.md, plus the
 * beyond-the-papers checks (BP-*).  `expected` moves off PENDING when the
 * chapter that computes the claim lands. */
static const claims_entry registry[] = {
#include "claims_registry.def"
};

#undef P
#undef R
#undef E
#undef C
#undef N

static const char *verdict_names[CLAIMS_NVERDICTS] = {
    "pending", "reproduced", "reproduced-with-erratum", "partly", "not-reproduced", "cited", "inconclusive",
};

/* --- printed statements (errata) ------------------------------------------------------
 * Each as CLAIMS.md quotes it, with where it stands in the paper.  Filled in
 * by the chapters' verdict work; a verdict that finds an erratum compares
 * its computed value with `value` (or `value_text`), never with a constant
 * of its own. */
static const claims_printed printed[] = {
#define PRINTED(id, quote, where, value, text) {id, quote, where, value, text},
#include "claims_printed.def"
#undef PRINTED
    {NULL, NULL, NULL, 0, NULL},
};

const claims_printed *claims_printed_list(size_t *n)
{
    *n = sizeof printed / sizeof printed[0] - 1;
    return printed;
}

const claims_printed *claims_printed_get(const char *id, int k)
{
    size_t n;
    const claims_printed *p = claims_printed_list(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].id, id) == 0 && k-- == 0) return &p[i];
    return NULL;
}

/* --- pre-registration of the statistical claims ---------------------------------------- */
static const claims_prereg prereg[] = {
#define PREREG(id, hyp, test, alpha, margin, unit, reps, control, conv, changed) \
    {id, hyp, test, alpha, margin, unit, reps, control, conv, changed},
#include "claims_prereg.def"
#undef PREREG
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

const claims_prereg *claims_prereg_list(size_t *n)
{
    *n = sizeof prereg / sizeof prereg[0] - 1;
    return prereg;
}

const claims_prereg *claims_prereg_find(const char *id)
{
    size_t n;
    const claims_prereg *p = claims_prereg_list(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].id, id) == 0) return &p[i];
    return NULL;
}

claims_verdict claims_expected(const claims_entry *c, const char *scale)
{
    return scale && strcmp(scale, "quick") == 0 && c->expected_quick != CLAIMS_PENDING ? c->expected_quick : c->expected;
}

const claims_entry *claims_registry(size_t *n)
{
    *n = sizeof registry / sizeof registry[0];
    return registry;
}

const claims_entry *claims_find(const char *id)
{
    size_t n;
    const claims_entry *r = claims_registry(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].id, id) == 0) return &r[i];
    return NULL;
}

const char *claims_verdict_name(claims_verdict v)
{
    return (unsigned)v < CLAIMS_NVERDICTS ? verdict_names[v] : "invalid";
}

int claims_verdict_parse(const char *s, claims_verdict *v)
{
    for (int i = 0; i < CLAIMS_NVERDICTS; i++)
        if (strcmp(s, verdict_names[i]) == 0) { *v = (claims_verdict)i; return 0; }
    return -1;
}

static int one_line(const char *s)
{
    return strpbrk(s, "\t\n\r") == NULL;
}

/* The checks both emitters make; 0 when the verdict may be recorded. */
static int emit_ok(const char *id, claims_verdict v, const char *measured, const char *paper, const char *note)
{
    if (!claims_find(id)) {
        fprintf(stderr, "deepcheap: claims_emit: unknown claim '%s'\n", id);
        return -1;
    }
    if (v == CLAIMS_PENDING || (unsigned)v >= CLAIMS_NVERDICTS) {
        fprintf(stderr, "deepcheap: claims_emit: %s: not a final verdict\n", id);
        return -1;
    }
    if (!one_line(measured) || !one_line(paper) || !one_line(note)) {
        fprintf(stderr, "deepcheap: claims_emit: %s: fields must be one line without tabs\n", id);
        return -1;
    }
    return 0;
}

int claims_emit(run_set *set, const char *id, claims_verdict v, const char *measured, const char *paper,
                const char *note)
{
    return claims_emit_values(set, id, v, measured, paper, note, NULL, 0);
}

int claims_emit_values(run_set *set, const char *id, claims_verdict v, const char *measured, const char *paper,
                       const char *note, const claims_value *values, int nvalues)
{
    if (emit_ok(id, v, measured, paper, note) != 0 || nvalues < 0 || nvalues > CLAIMS_MAXVALUES) {
        set->failed = 1;
        return -1;
    }
    char extra[CLAIMS_MAXVALUES * 96] = "";
    size_t len = 0;
    for (int i = 0; i < nvalues; i++) {
        if (!one_line(values[i].name) || strchr(values[i].name, ' ') || !values[i].name[0]) {
            fprintf(stderr, "deepcheap: claims_emit: %s: bad value name '%s'\n", id, values[i].name);
            set->failed = 1;
            return -1;
        }
        len += (size_t)snprintf(extra + len, sizeof extra - len, "value\t%s\t%.17g\t%.17g\n", values[i].name,
                                values[i].value, values[i].tol);
    }
    return run_verdict(set, id, claims_verdict_name(v), measured, paper, note, nvalues ? extra : NULL);
}

/* Splits a TSV line in place into at most `max` fields. */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\n\r")] = 0;
    while (n < max) {
        f[n++] = line;
        char *t = strchr(line, '\t');
        if (!t) break;
        *t = 0;
        line = t + 1;
    }
    return n;
}

void claims_read(claims_row *row, const claims_entry *c, const char *dir)
{
    memset(row, 0, sizeof *row);
    row->claim = c;
    row->verdict = CLAIMS_PENDING;
    char path[8192];
    FILE *f = NULL;
    if (snprintf(path, sizeof path, "%s/verdicts/%s.tsv", dir, c->id) < (int)sizeof path)
        f = fopen(path, "r");
    if (f) {
        char line[2048];
        int state = 0; /* 0: header, 1: column line seen, 2: row parsed */
        row->corrupt = 1;
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "# scale ", 8) == 0) {
                snprintf(row->scale, sizeof row->scale, "%.*s", (int)strcspn(line + 8, "\r\n"), line + 8);
                continue;
            }
            if (strncmp(line, "# seed ", 7) == 0) {
                snprintf(row->seed, sizeof row->seed, "%.*s", (int)strcspn(line + 7, "\r\n"), line + 7);
                continue;
            }
            if (line[0] == '#') continue;
            char *fld[6];
            int n = split_tabs(line, fld, 6);
            if (state == 0) {
                if (n == 5 && strcmp(fld[0], "id") == 0 && strcmp(fld[1], "verdict") == 0) state = 1;
                else break;
            } else if (state == 1) {
                if (n == 5 && strcmp(fld[0], c->id) == 0 &&
                    claims_verdict_parse(fld[1], &row->verdict) == 0 &&
                    row->verdict != CLAIMS_PENDING) {
                    snprintf(row->measured, sizeof row->measured, "%s", fld[2]);
                    snprintf(row->paper, sizeof row->paper, "%s", fld[3]);
                    snprintf(row->note, sizeof row->note, "%s", fld[4]);
                    state = 2;
                    row->corrupt = 0;
                    row->present = 1;
                    continue;
                } else {
                    row->verdict = CLAIMS_PENDING;
                }
                break;
            } else if (n == 4 && strcmp(fld[0], "value") == 0 && row->nvalues < CLAIMS_MAXVALUES) {
                claims_value *v = &row->values[row->nvalues++];
                snprintf(v->name, sizeof v->name, "%s", fld[1]);
                v->value = strtod(fld[2], NULL);
                v->tol = strtod(fld[3], NULL);
            }
        }
        fclose(f);
    }
    row->ok = !row->corrupt && row->verdict == claims_expected(c, row->scale);
}

/* Applies <dir>/stability.tsv (id, scale, seeds, verdicts, agree, stable) to
 * the rows of its scale. */
static void apply_stability(claims_row *rows, size_t n, const char *dir)
{
    char path[8192], line[2048];
    snprintf(path, sizeof path, "%s/stability.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        char *fld[6];
        if (split_tabs(line, fld, 6) != 6 || strcmp(fld[0], "id") == 0) continue;
        claims_verdict v;
        if (claims_verdict_parse(fld[5], &v) != 0) continue;
        for (size_t i = 0; i < n; i++) {
            claims_row *r = &rows[i];
            if (strcmp(r->claim->id, fld[0]) != 0 || !r->present || strcmp(r->scale, fld[1]) != 0) continue;
            r->single = r->verdict;
            r->verdict = v;
            snprintf(r->seeds, sizeof r->seeds, "%s seeds agree", fld[4]);
            r->ok = !r->corrupt && v == claims_expected(r->claim, r->scale);
        }
    }
    fclose(f);
}

/* TeX-escapes plain text. */
/* One plain-text character, escaped for LaTeX. */
static void tex_char(FILE *f, char c)
{
    switch (c) {
    case '\\': fputs("\\textbackslash{}", f); break;
    case '_': case '%': case '&': case '#': case '$': case '{': case '}':
        fputc('\\', f); fputc(c, f); break;
    case '^': fputs("\\^{}", f); break;
    case '~': fputs("\\ensuremath{\\sim}", f); break;
    case '<': fputs("\\ensuremath{<}", f); break;
    case '>': fputs("\\ensuremath{>}", f); break;
    case '|': fputs("\\ensuremath{|}", f); break;
    case '\'': fputs("{'}", f); break; /* '' would be a closing quote */
    default: fputc(c, f);
    }
}

/* Length of the exponent or subscript after ^ or _: a (...) or {...} group,
 * or a signed run of letters, digits and dots. */
static size_t script_len(const char *s)
{
    if (*s == '(' || *s == '{') {
        char close = *s == '(' ? ')' : '}';
        int depth = 0;
        for (size_t i = 0; s[i]; i++) {
            depth += s[i] == *s;
            depth -= s[i] == close;
            if (depth == 0) return i + 1;
        }
        return 0;
    }
    size_t i = *s == '-' || *s == '+' ? 1 : 0, start = i;
    while (isalnum((unsigned char)s[i]) || (s[i] == '.' && isdigit((unsigned char)s[i + 1]))) i++;
    return i > start ? i : 0;
}

/* Escapes plain text for LaTeX and typesets the ASCII math that measured
 * strings use: x^y and x^(..) as superscripts, T_c and y_i (a one-letter
 * name) as subscripts, ->, <=, >=, != as arrows and relations, ~ as \sim. */
static void tex_escape(FILE *f, const char *s)
{
    for (const char *p = s; *p; p++) {
        static const char *rel[4][2] = {{"->", "\\to"}, {"<=", "\\le"}, {">=", "\\ge"}, {"!=", "\\ne"}};
        int done = 0;
        for (int k = 0; k < 4 && !done; k++)
            if (strncmp(p, rel[k][0], 2) == 0) {
                fprintf(f, "\\ensuremath{%s}", rel[k][1]);
                p++, done = 1;
            }
        if (done) continue;
        size_t n;
        int one_letter = p > s && isalpha((unsigned char)p[-1]) && (p - 1 == s || !isalnum((unsigned char)p[-2]));
        if ((*p == '^' || (*p == '_' && one_letter)) && (n = script_len(p + 1)) > 0) {
            const char *body = p + 1;
            size_t len = n;
            if (*body == '{') body++, len -= 2; /* braces group, they are not shown */
            fputs(*p == '^' ? "\\textsuperscript{" : "\\textsubscript{", f);
            for (size_t i = 0; i < len; i++) tex_char(f, body[i]);
            fputc('}', f);
            p += n;
            continue;
        }
        tex_char(f, *p);
    }
}

static const char *chapter_title[8] = {
    "", "Hamiltonians and the softmax readout", "The multiplication gate",
    "Locality and symmetry: counting parameters", "No-flattening",
    "Hierarchy, sufficient statistics and renormalization",
    "Deep learning the Ising model near criticality",
    "Hard quantum distributions and variational autoencoders",
};

static const char *count_macro[CLAIMS_NVERDICTS] = {
    "LedgerPending", "LedgerReproduced", "LedgerErratum", "LedgerPartly", "LedgerNotReproduced",
    "LedgerCited", "LedgerInconclusive",
};

/* \ClaimPrereg{ID} and \ClaimPrinted{ID}: tables for the chapters. */
static void write_prereg_printed(FILE *f)
{
    size_t n;
    const claims_prereg *p = claims_prereg_list(&n);
    for (size_t i = 0; i < n; i++) {
        static const char *label[9] = {"Hypotheses", "Test", "$\\alpha$", "Margin", "Statistical unit",
                                       "Repetitions", "Positive control", "Convergence", "Changed after results"};
        const char *val[9] = {p[i].hypotheses, p[i].test,    p[i].alpha,       p[i].margin, p[i].unit,
                              p[i].reps,       p[i].control, p[i].convergence, p[i].changed[0] ? p[i].changed : "no"};
        /* a longtable, so a long pre-registration breaks across pages */
        fprintf(f, "\\expandafter\\def\\csname dcprereg@%s\\endcsname{\\par\\smallskip\\noindent"
                   "\\begin{longtable}{@{}>{\\raggedright\\arraybackslash}p{3.2cm}>{\\raggedright\\arraybackslash}p{11.6cm}@{}}"
                   "\\multicolumn{2}{@{}l}{\\textit{Pre-registered rule for \\texttt{%s}}}\\\\\\hline\\endhead ",
                p[i].id, p[i].id);
        for (int k = 0; k < 9; k++) {
            fprintf(f, "%s & ", label[k]);
            tex_escape(f, val[k]);
            fputs("\\\\ ", f);
        }
        fputs("\\end{longtable}\\par\\smallskip}\n", f);
    }
    const claims_printed *q = claims_printed_list(&n);
    for (size_t i = 0; i < n; i++) {
        if (i && strcmp(q[i].id, q[i - 1].id) == 0) continue; /* one macro per claim, all its statements */
        fprintf(f, "\\expandafter\\def\\csname dcprinted@%s\\endcsname{", q[i].id);
        for (size_t j = i; j < n && strcmp(q[j].id, q[i].id) == 0; j++) {
            fputs(j > i ? "; " : "Printed: ``", f);
            if (j > i) fputs("``", f);
            tex_escape(f, q[j].quote);
            fputs("'' (", f);
            tex_escape(f, q[j].where);
            fputs(")", f);
        }
        fputs(".}\n", f);
    }
}

static void write_tex(FILE *f, const claims_row *rows, size_t n, int mismatches)
{
    int count[CLAIMS_NVERDICTS] = {0};
    for (size_t i = 0; i < n; i++) count[rows[i].verdict]++;
    fprintf(f, "%% deepcheap claims ledger: generated, do not edit\n");
    for (int v = 0; v < CLAIMS_NVERDICTS; v++)
        fprintf(f, "\\newcommand{\\%s}{%d}\n", count_macro[v], count[v]);
    fprintf(f, "\\newcommand{\\LedgerTotal}{%zu}\n", n);
    fprintf(f, "\\newcommand{\\LedgerComputed}{%zu}\n", n - (size_t)count[CLAIMS_PENDING]);
    fprintf(f, "\\newcommand{\\LedgerMismatches}{%d}\n", mismatches);
    /* what the report is built from: the verdicts' scale and seed (the ledger
     * refuses mixed ones), and how many seeds the stability rule used */
    const char *scale = "none", *seed = "none";
    int nseeds = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].present) {
            scale = rows[i].scale[0] ? rows[i].scale : scale;
            seed = rows[i].seed[0] ? rows[i].seed : seed;
            if (rows[i].seeds[0]) nseeds = atoi(strchr(rows[i].seeds, '/') ? strchr(rows[i].seeds, '/') + 1 : "0");
        }
    fprintf(f, "\\newcommand{\\LedgerScale}{%s}\n\\newcommand{\\LedgerSeed}{%s}\n", scale, seed);
    fprintf(f, "\\newcommand{\\LedgerStabilitySeeds}{%d}\n", nseeds);
    /* per-claim verdicts, for chapters: \ClaimVerdict{LT-1} */
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "\\expandafter\\def\\csname dcverdict@%s\\endcsname{%s}\n", rows[i].claim->id,
                claims_verdict_name(rows[i].verdict));
        fprintf(f, "\\expandafter\\def\\csname dcmeasured@%s\\endcsname{", rows[i].claim->id);
        tex_escape(f, rows[i].measured);
        fprintf(f, "}\n");
    }
    write_prereg_printed(f);
    fprintf(f, "\\newcommand{\\LedgerTable}{%%\n");
    fprintf(f, "\\begin{longtable}{@{}>{\\raggedright\\arraybackslash}p{1.45cm}>{\\raggedright\\arraybackslash}p{2.3cm}>{\\raggedright\\arraybackslash}p{4.6cm}>{\\raggedright\\arraybackslash}p{2.2cm}>{\\raggedright\\arraybackslash}p{4.2cm}@{}}\n\\toprule\n");
    fprintf(f, "ID & Location & Claim & Verdict & Measured (paper)\\\\\n\\midrule\\endhead\n");
    int chapter = 0;
    for (size_t i = 0; i < n; i++) {
        const claims_row *r = &rows[i];
        if (r->claim->chapter != chapter) {
            chapter = r->claim->chapter;
            fprintf(f, "\\multicolumn{5}{@{}l}{\\textit{CLAIMS Ch.~%d: %s}}\\\\\n", chapter,
                    chapter_title[chapter]);
        }
        fprintf(f, "\\texttt{%s} & ", r->claim->id);
        tex_escape(f, r->claim->location);
        fputs(" & ", f);
        tex_escape(f, r->claim->statement);
        fprintf(f, " & \\verdictbox{%s}%s", claims_verdict_name(r->verdict),
                r->ok ? "" : (r->corrupt ? " \\textbf{(corrupt file)}" : " \\textbf{(differs from expected)}"));
        if (r->seeds[0]) fprintf(f, " {\\footnotesize(%s)}", r->seeds);
        fputs(" & ", f);
        tex_escape(f, r->measured);
        if (r->paper[0]) { fputs(" (paper: ", f); tex_escape(f, r->paper); fputs(")", f); }
        fputs("\\\\\n", f);
    }
    fprintf(f, "\\bottomrule\n\\end{longtable}}\n");
}

claims_row *claims_rows(size_t *n, const char *dir)
{
    const claims_entry *reg = claims_registry(n);
    claims_row *rows = calloc(*n, sizeof *rows);
    if (!rows) return NULL;
    for (size_t i = 0; i < *n; i++) claims_read(&rows[i], &reg[i], dir);
    apply_stability(rows, *n, dir);
    return rows;
}

int claims_ledger(FILE *tsv, const char *dir, const char *tex_path)
{
    size_t n;
    const claims_entry *reg = claims_registry(&n);
    claims_row *rows = claims_rows(&n, dir);
    if (!rows) return -1;
    int mismatches = 0;
    fprintf(tsv, "id\tchapter\texpected\tverdict\tstatus\tseeds\tmeasured\tpaper\tnote\n");
    for (size_t i = 0; i < n; i++) {
        claims_row *r = &rows[i];
        if (!r->ok) mismatches++;
        fprintf(tsv, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", reg[i].id, reg[i].chapter,
                claims_verdict_name(claims_expected(&reg[i], r->scale)), claims_verdict_name(r->verdict),
                r->ok ? "ok" : (r->corrupt ? "corrupt" : "MISMATCH"), r->seeds[0] ? r->seeds : "-", r->measured,
                r->paper, r->note);
    }
    int rc = mismatches;
    if (tex_path) {
        binio_file rf;
        if (binio_file_open(&rf, tex_path) != 0) rc = -1;
        else {
            write_tex(rf.f, rows, n, mismatches);
            if (binio_file_commit(&rf) != 0) rc = -1;
        }
    }
    free(rows);
    return rc;
}

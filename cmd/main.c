/* deepcheap: the front door.  The only place that parses options. */
#include "claims.h"
#include "commands.h"
#include "experiments.h"
#include "ledger.h"
#include "slurm.h"

#include <arb.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fftw3.h>
#include <flint/flint.h>
#include <gmp.h>
#include <mpfr.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2

char *openblas_get_config(void);

/* The libraries this program was linked with, as they report themselves. */
static void print_library_versions(FILE *f)
{
    fprintf(f, "FLINT %s, Arb %s, GMP %s, MPFR %s, %s, cJSON %s, OpenBLAS %s\n", FLINT_VERSION, arb_version,
            gmp_version, mpfr_get_version(), fftw_version, cJSON_Version(), openblas_get_config());
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: deepcheap list\n"
            "       deepcheap run EXPERIMENT...|all [--chapter N] [--claim ID] [--scale quick|full] [--seed N]\n"
            "                     [--threads N] [--out DIR] [--shard K/N] [--if-needed]\n"
            "       deepcheap merge EXPERIMENT DIR... [--out DIR] [--threads N]\n"
            "       deepcheap slurm EXPERIMENT --tasks N [--scale S] [--seed N] [--threads N] [--out DIR]\n"
            "                       [--partition P] [--time T] [--submit]\n"
            "       deepcheap claims [--out DIR] [--tex FILE] [--detail ID] [--values] [--compare BASELINE]\n"
            "       deepcheap verdict ID [--out DIR]\n"
            "       deepcheap stability [EXPERIMENT...] [--seeds 1,2,3,4,5] [--scale quick|full] [--threads N] [--out DIR]\n"
            "       deepcheap GROUP NAME [--option value]...   (query commands, see 'deepcheap help')\n"
            "       deepcheap COMMAND --help | help TOPIC | --version\n"
            "Exit status: 0 success, 1 a runtime error (a file, a failed run, a ledger mismatch), 2 a usage error.\n");
}

static void list_experiments(FILE *f)
{
    size_t n;
    const exp_entry *t = experiments_list(&n);
    fprintf(f, "experiment\tchapter\tclaims\tsummary\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\t%d\t%s\t%s\n", t[i].name, t[i].chapter, t[i].claims, t[i].summary);
}

static void list_commands(FILE *f)
{
    size_t n;
    const cmd_spec *t = commands_list(&n);
    fprintf(f, "query commands:\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "  deepcheap %s %s", t[i].group, t[i].name);
        for (const cmd_opt *o = t[i].opts; o->type != CMD_END; o++)
            fprintf(f, o->def ? " [--%s %s]" : " --%s X", o->name, o->def ? o->def : "");
        fprintf(f, "\n      %s ('deepcheap help %s' gives the ranges)\n", t[i].summary, t[i].group);
    }
}

/* --- value parsing: whole string, finite, in range ----------------------- */

/* Decimal only: an optional '-', then digits.  No spaces, '+', hex or octal
 * prefixes (strtoll would skip leading spaces). */
static int decimal_int(const char *s)
{
    if (*s == '-') s++;
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* A plain decimal real: [-]digits[.digits][e[-+]digits] or [-].digits...;
 * no spaces, hex floats, inf or nan (strtod would take them all). */
static int decimal_real(const char *s)
{
    if (*s == '-' || *s == '+') s++;
    int digits = 0;
    while (*s >= '0' && *s <= '9') s++, digits++;
    if (*s == '.') {
        s++;
        while (*s >= '0' && *s <= '9') s++, digits++;
    }
    if (!digits) return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '-' || *s == '+') s++;
        if (*s < '0' || *s > '9') return 0;
        while (*s >= '0' && *s <= '9') s++;
    }
    return *s == 0;
}

static int parse_int(const char *s, int64_t *out)
{
    char *end;
    if (!decimal_int(s)) return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end) return -1;
    *out = v;
    return 0;
}

static int parse_real(const char *s, double *out)
{
    char *end;
    if (!decimal_real(s)) return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (*s == '-' || !decimal_int(s)) return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return -1;
    *out = v;
    return 0;
}

static int in_range(const cmd_opt *o, double v)
{
    if (o->lo_open ? !(v > o->lo) : !(v >= o->lo)) return 0;
    return v <= o->hi;
}

static void range_text(char *buf, size_t n, const cmd_opt *o)
{
    if (o->hi >= 1e300) snprintf(buf, n, "%s %g", o->lo_open ? ">" : ">=", o->lo);
    else snprintf(buf, n, "in %s%g, %g]", o->lo_open ? "(" : "[", o->lo, o->hi);
}

/* Parses one option value; prints one line and returns -1 when bad. */
static int parse_value(const char *cmd, const cmd_opt *o, const char *s, cmd_val *v)
{
    char rng[96];
    range_text(rng, sizeof rng, o);
    switch (o->type) {
    case CMD_INT:
        if (parse_int(s, &v->i) != 0 || !in_range(o, (double)v->i)) {
            fprintf(stderr, "deepcheap %s: --%s '%s': expected an integer %s\n", cmd, o->name, s, rng);
            return -1;
        }
        return 0;
    case CMD_REAL:
        if (parse_real(s, &v->d) != 0 || !in_range(o, v->d)) {
            fprintf(stderr, "deepcheap %s: --%s '%s': expected a number %s\n", cmd, o->name, s, rng);
            return -1;
        }
        return 0;
    case CMD_UINT64:
        if (parse_u64(s, &v->u) != 0) {
            fprintf(stderr, "deepcheap %s: --%s '%s': expected a non-negative 64-bit integer\n", cmd, o->name, s);
            return -1;
        }
        return 0;
    case CMD_STR:
        if (!*s) {
            fprintf(stderr, "deepcheap %s: --%s: empty value\n", cmd, o->name);
            return -1;
        }
        v->s = s;
        return 0;
    case CMD_INTLIST: {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", s);
        v->nlist = 0;
        char *save = NULL;
        int trailing = s[0] == 0 || s[strlen(s) - 1] == ',' || s[0] == ',' || strstr(s, ",,");
        for (char *t = strtok_r(buf, ",", &save); t && !trailing; t = strtok_r(NULL, ",", &save)) {
            int64_t x;
            if (v->nlist == CMD_MAXLIST || parse_int(t, &x) != 0 || !in_range(o, (double)x)) {
                trailing = 1;
                break;
            }
            v->list[v->nlist++] = x;
        }
        if (trailing || v->nlist == 0) {
            fprintf(stderr, "deepcheap %s: --%s '%s': expected 1 to %d comma-separated integers %s\n",
                    cmd, o->name, s, CMD_MAXLIST, rng);
            return -1;
        }
        return 0;
    }
    case CMD_FLAG:
        v->i = s[0] == '1';
        return 0;
    case CMD_END: break;
    }
    return -1;
}

/* One option's line of help: name, type and range, default, what it is. */
static void option_help(FILE *f, const cmd_opt *o)
{
    char rng[96] = "";
    const char *type = "";
    switch (o->type) {
    case CMD_INT: type = "integer"; range_text(rng, sizeof rng, o); break;
    case CMD_REAL: type = "number"; range_text(rng, sizeof rng, o); break;
    case CMD_INTLIST: type = "integers,..."; range_text(rng, sizeof rng, o); break;
    case CMD_UINT64: type = "integer >= 0"; break;
    case CMD_STR: type = "text"; break;
    case CMD_FLAG: type = "flag"; break;
    case CMD_END: break;
    }
    fprintf(f, "  --%-12s %s%s%s", o->name, o->type == CMD_FLAG ? "" : type, rng[0] ? " " : "", rng);
    if (o->type != CMD_FLAG) {
        if (o->def) fprintf(f, " (default %s)", o->def);
        else fputs(strcmp(o->name, "threads") == 0 ? " (default: the core count)" : " (required)", f);
    }
    fprintf(f, "\n      %s\n", o->help ? o->help : "");
}

/* Parses argv[first..argc) against opts into vals: 0, -1 on any bad input
 * (one line on stderr), 1 when --help printed the command's options. */
static int parse_options(const char *cmd, const cmd_opt *opts, cmd_val *vals, int argc,
                         char **argv, int first)
{
    int nopt = 0;
    const char *given[CMD_MAXOPT] = {0};
    while (opts[nopt].type != CMD_END) nopt++;
    for (int a = first; a < argc; a++)
        if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
            printf("deepcheap %s: options\n", cmd);
            for (int k = 0; k < nopt; k++) option_help(stdout, &opts[k]);
            return 1;
        }
    for (int a = first; a < argc; a++) {
        const char *arg = argv[a], *val = NULL;
        if (strncmp(arg, "--", 2) != 0) {
            fprintf(stderr, "deepcheap %s: unexpected argument '%s'\n", cmd, arg);
            return -1;
        }
        char name[64];
        const char *eq = strchr(arg + 2, '=');
        size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), arg + 2);
        int k = 0;
        while (k < nopt && strcmp(opts[k].name, name) != 0) k++;
        if (k == nopt) {
            fprintf(stderr, "deepcheap %s: unknown option '--%s'\n", cmd, name);
            return -1;
        }
        if (given[k]) {
            fprintf(stderr, "deepcheap %s: option '--%s' given twice\n", cmd, name);
            return -1;
        }
        if (opts[k].type == CMD_FLAG) {
            if (eq) {
                fprintf(stderr, "deepcheap %s: option '--%s' takes no value\n", cmd, name);
                return -1;
            }
            val = "1";
        } else if (eq) val = eq + 1;
        else if (a + 1 < argc) val = argv[++a];
        else {
            fprintf(stderr, "deepcheap %s: option '--%s' needs a value\n", cmd, name);
            return -1;
        }
        given[k] = val;
    }
    for (int k = 0; k < nopt; k++) {
        const char *s = given[k] ? given[k] : opts[k].def;
        if (!s) {
            fprintf(stderr, "deepcheap %s: missing required option '--%s'\n", cmd, opts[k].name);
            return -1;
        }
        if (parse_value(cmd, &opts[k], s, &vals[k]) != 0) return -1;
    }
    return 0;
}

/* --- run ------------------------------------------------------------------ */

#ifndef DEEPCHEAP_SRCDIR
#define DEEPCHEAP_SRCDIR ""
#endif

static const cmd_opt run_opts[] = {
    {"scale", CMD_STR, "full", 0, 0, 0, "quick or full"},
    {"seed", CMD_UINT64, "1", 0, 0, 0, "master seed"},
    {"threads", CMD_INT, NULL /* set to the core count */, 1, 4096, 0, "OpenMP threads"},
    {"out", CMD_STR, "build", 0, 0, 0, "output directory"},
    {"shard", CMD_STR, "0/0", 0, 0, 0, "K/N: compute only shard K of N (1 <= K <= N) of the cells"},
    {"if-needed", CMD_FLAG, "0", 0, 0, 0, "do nothing when the published set already matches"},
    {"chapter", CMD_INT, "-1", -1, 7, 0, "also every experiment of this CLAIMS chapter (0: the benchmarks; -1: none)"},
    {"claim", CMD_STR, "-", 0, 0, 0, "also the experiment that decides this claim ID"},
    {NULL, CMD_END, NULL, 0, 0, 0, NULL},
};

/* "K/N" with 1 <= K <= N <= 100000, digits only; 0 or -1 after one line. */
static int parse_shard(const char *cmd, const char *s, int *k, int *n)
{
    if (strcmp(s, "0/0") == 0) { /* the default: no sharding */
        *k = *n = 0;
        return 0;
    }
    int64_t a, b;
    const char *slash = strchr(s, '/');
    char left[32];
    int ok = slash && (size_t)(slash - s) < sizeof left;
    if (ok) {
        snprintf(left, sizeof left, "%.*s", (int)(slash - s), s);
        ok = parse_int(left, &a) == 0 && parse_int(slash + 1, &b) == 0 && left[0] >= '0' && left[0] <= '9' &&
             slash[1] >= '0' && slash[1] <= '9' && b >= 1 && b <= 100000 && a >= 1 && a <= b;
    }
    if (!ok) {
        fprintf(stderr, "deepcheap %s: --shard '%s': expected K/N with 1 <= K <= N <= 100000\n", cmd, s);
        return -1;
    }
    *k = (int)a, *n = (int)b;
    return 0;
}

static int parse_scale(const char *cmd, const char *s, exp_scale *scale)
{
    if (strcmp(s, "quick") == 0) *scale = EXP_QUICK;
    else if (strcmp(s, "full") == 0) *scale = EXP_FULL;
    else {
        fprintf(stderr, "deepcheap %s: --scale '%s': expected quick or full\n", cmd, s);
        return -1;
    }
    return 0;
}

/* Levenshtein distance, for "did you mean". */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) return 99;
    int d[64][64];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

/* One line for an unknown experiment, with the closest names. */
static void unknown_experiment(const char *cmd, const char *name)
{
    size_t n;
    const exp_entry *t = experiments_list(&n);
    char close[256] = "";
    for (int best = 1; best <= 2 && !close[0]; best++)
        for (size_t i = 0; i < n; i++) {
            /* close to the whole name, or to its start (a misspelt prefix: "flaten") */
            int d = edit_distance(name, t[i].name), dh = 99;
            for (int extra = -1; extra <= 1; extra++) {
                char head[64];
                snprintf(head, sizeof head, "%.*s", (int)strlen(name) + extra, t[i].name);
                int e = edit_distance(name, head);
                dh = e < dh ? e : dh;
            }
            if (d <= best || dh < best || (strlen(name) >= 3 && strstr(t[i].name, name)))
                snprintf(close + strlen(close), sizeof close - strlen(close), "%s%s", close[0] ? ", " : "",
                         t[i].name);
        }
    fprintf(stderr, "deepcheap %s: unknown experiment '%s'%s%s%s (see 'deepcheap list')\n", cmd, name,
            close[0] ? "; did you mean " : "", close, close[0] ? "?" : "");
}

static int is_help(const char *a) { return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0; }

/* The experiment named by argv[2], or NULL after one line on stderr. */
static const exp_entry *named_experiment(const char *cmd, int argc, char **argv, int allow_all)
{
    if (argc < 3 || strncmp(argv[2], "--", 2) == 0) {
        fprintf(stderr, "deepcheap %s: name an experiment%s (see 'deepcheap list')\n", cmd,
                allow_all ? " or 'all'" : "");
        return NULL;
    }
    const exp_entry *e = experiments_find(argv[2]);
    if (!e && !(allow_all && strcmp(argv[2], "all") == 0)) {
        unknown_experiment(cmd, argv[2]);
        return NULL;
    }
    return e;
}

static void default_threads(cmd_opt *opts, char *buf, size_t n)
{
    snprintf(buf, n, "%d", omp_get_num_procs());
    for (cmd_opt *o = opts; o->type != CMD_END; o++)
        if (strcmp(o->name, "threads") == 0) o->def = buf;
}

/* `CMD --help` before the positional arguments: the synopsis and the options. */
static int command_help(int argc, char **argv, const char *synopsis, const cmd_opt *opts)
{
    for (int a = 2; a < argc; a++)
        if (is_help(argv[a])) {
            printf("usage: deepcheap %s\n", synopsis);
            for (const cmd_opt *o = opts; o->type != CMD_END; o++) option_help(stdout, o);
            return 1;
        }
    return 0;
}

/* Moves the positional arguments of argv[first..argc) (those that are not an
 * option or an option's value) to pos[], leaving the options in place in
 * argv order; returns the number of positional ones.  Options in any
 * position, as users expect. */
static int take_positional(const cmd_opt *opts, int *argc, char **argv, int first, char **pos, int maxpos)
{
    int np = 0, w = first;
    for (int a = first; a < *argc; a++) {
        const char *arg = argv[a];
        if (strncmp(arg, "--", 2) == 0 || is_help(arg)) {
            argv[w++] = argv[a];
            const cmd_opt *o = opts;
            size_t len = strcspn(arg + 2, "=");
            while (o->type != CMD_END && !(strlen(o->name) == len && strncmp(o->name, arg + 2, len) == 0)) o++;
            /* an option's value travels with it */
            if (o->type != CMD_END && o->type != CMD_FLAG && !strchr(arg, '=') && a + 1 < *argc) argv[w++] = argv[++a];
        } else if (np < maxpos) {
            pos[np++] = argv[a];
        } else {
            argv[w++] = argv[a]; /* too many: parse_options names it */
        }
    }
    *argc = w;
    return np;
}

/* Marks the experiments named by the positional arguments, --chapter and
 * --claim in sel[]; 0, or -1 after one line. */
static int select_experiments(int *sel, char **pos, int np, int64_t chapter, const char *claim)
{
    size_t n;
    const exp_entry *t = experiments_list(&n);
    for (int k = 0; k < np; k++) {
        if (strcmp(pos[k], "all") == 0) {
            for (size_t i = 0; i < n; i++) sel[i] = 1;
            continue;
        }
        const exp_entry *e = experiments_find(pos[k]);
        if (!e) {
            unknown_experiment("run", pos[k]);
            return -1;
        }
        sel[e - t] = 1;
    }
    if (chapter >= 0) {
        int any = 0;
        for (size_t i = 0; i < n; i++)
            if (t[i].chapter == chapter) sel[i] = 1, any = 1;
        if (!any) {
            fprintf(stderr, "deepcheap run: --chapter '%lld': no experiment belongs to it\n", (long long)chapter);
            return -1;
        }
    }
    if (strcmp(claim, "-") != 0) {
        char want[40];
        snprintf(want, sizeof want, " %s ", claim);
        int any = 0;
        for (size_t i = 0; i < n; i++) {
            char list[512];
            snprintf(list, sizeof list, " %s ", t[i].claims);
            if (strstr(list, want)) sel[i] = 1, any = 1;
        }
        if (!any) {
            fprintf(stderr, "deepcheap run: --claim '%s': no experiment decides it (see 'deepcheap list')\n", claim);
            return -1;
        }
    }
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    if (command_help(argc, argv, "run EXPERIMENT... | all [--chapter N] [--claim ID] [options]", run_opts)) return 0;
    char *pos[64];
    int np = take_positional(run_opts, &argc, argv, 2, pos, 64);
    cmd_val v[9];
    memset(v, 0, sizeof v);
    cmd_opt opts[9];
    char cores[32];
    memcpy(opts, run_opts, sizeof opts);
    default_threads(opts, cores, sizeof cores);
    {
        int prc = parse_options("run", opts, v, argc, argv, 2);
        if (prc) return prc < 0 ? EXIT_USAGE : 0;
    }
    size_t n;
    const exp_entry *t = experiments_list(&n);
    int sel[256] = {0}, nsel = 0;
    if (np == 0 && v[6].i < 0 && strcmp(v[7].s, "-") == 0) {
        fprintf(stderr, "deepcheap run: name experiments, 'all', --chapter N or --claim ID (see 'deepcheap list')\n");
        return EXIT_USAGE;
    }
    if (select_experiments(sel, pos, np, v[6].i, v[7].s) != 0) return EXIT_USAGE;
    for (size_t i = 0; i < n; i++) nsel += sel[i];
    exp_run_opts o = {0};
    if (parse_scale("run", v[0].s, &o.ctx.scale) != 0) return EXIT_USAGE;
    if (parse_shard("run", v[4].s, &o.shard_k, &o.shard_n) != 0) return EXIT_USAGE;
    if (nsel > 1 && o.shard_n) {
        fprintf(stderr, "deepcheap run: --shard needs exactly one experiment, not %d\n", nsel);
        return EXIT_USAGE;
    }
    o.ctx.seed = v[1].u;
    o.ctx.threads = (int)v[2].i;
    o.out = v[3].s;
    o.srcdir = DEEPCHEAP_SRCDIR;
    o.if_needed = (int)v[5].i;
    omp_set_num_threads(o.ctx.threads);
    run_install_signal_cleanup();
    int worst = 0;
    for (size_t i = 0; i < n; i++) {
        if (!sel[i]) continue;
        int rc = experiments_run(&t[i], &o);
        if (rc > worst) worst = rc;
    }
    return worst;
}

/* --- merge ---------------------------------------------------------------- */

static const cmd_opt merge_opts[] = {
    {"out", CMD_STR, "build", 0, 0, 0, "output directory"},
    {"threads", CMD_INT, NULL, 1, 4096, 0, "OpenMP threads"},
    {NULL, CMD_END, NULL, 0, 0, 0, NULL},
};

static int cmd_merge(int argc, char **argv)
{
    if (command_help(argc, argv, "merge EXPERIMENT DIR... [options]", merge_opts)) return 0;
    const exp_entry *e = named_experiment("merge", argc, argv, 0);
    if (!e) return EXIT_USAGE;
    int first = 3;
    while (first < argc && strncmp(argv[first], "--", 2) != 0) first++;
    if (first == 3) {
        fprintf(stderr, "deepcheap merge: name the shard directories (the --out of each 'run --shard')\n");
        return EXIT_USAGE;
    }
    
    cmd_opt opts[3];
    cmd_val v[3];
    char cores[32];
    memcpy(opts, merge_opts, sizeof opts);
    memset(v, 0, sizeof v);
    default_threads(opts, cores, sizeof cores);
    {
        int prc = parse_options("merge", opts, v, argc, argv, first);
        if (prc) return prc < 0 ? EXIT_USAGE : 0;
    }
    exp_run_opts o = {0};
    o.out = v[0].s;
    o.ctx.threads = (int)v[1].i;
    o.srcdir = DEEPCHEAP_SRCDIR;
    omp_set_num_threads(o.ctx.threads);
    run_install_signal_cleanup();
    return experiments_merge(e, (const char *const *)argv + 3, first - 3, &o);
}

/* --- slurm ---------------------------------------------------------------- */

static const cmd_opt slurm_opts[] = {
    {"tasks", CMD_INT, NULL, 1, 100000, 0, "array tasks (shards)"},
    {"scale", CMD_STR, "full", 0, 0, 0, "quick or full"},
    {"seed", CMD_UINT64, "1", 0, 0, 0, "master seed"},
    {"threads", CMD_INT, "2", 1, 4096, 0, "OpenMP threads (CPUs) per task"},
    {"out", CMD_STR, "build", 0, 0, 0, "output directory (shared by the nodes)"},
    {"partition", CMD_STR, "-", 0, 0, 0, "Slurm partition (default: the cluster's)"},
    {"time", CMD_STR, "-", 0, 0, 0, "time limit per task, as sbatch --time takes it"},
    {"submit", CMD_FLAG, "0", 0, 0, 0, "submit with sbatch (otherwise only write the scripts)"},
    {NULL, CMD_END, NULL, 0, 0, 0, NULL},
};

static int cmd_slurm(int argc, char **argv)
{
    if (command_help(argc, argv, "slurm EXPERIMENT --tasks N [options]", slurm_opts)) return 0;
    const exp_entry *e = named_experiment("slurm", argc, argv, 0);
    if (!e) return EXIT_USAGE;
    
    cmd_opt opts[9];
    cmd_val v[9];
    memcpy(opts, slurm_opts, sizeof opts);
    memset(v, 0, sizeof v);
    {
        int prc = parse_options("slurm", opts, v, argc, argv, 3);
        if (prc) return prc < 0 ? EXIT_USAGE : 0;
    }
    if (e->def->flags & EXP_BENCH) {
        fprintf(stderr, "deepcheap slurm: %s is a benchmark: it runs whole, on one machine\n", e->name);
        return EXIT_USAGE;
    }
    slurm_job j = {0};
    j.experiment = e->name;
    j.tasks = (int)v[0].i;
    exp_scale sc;
    if (parse_scale("slurm", v[1].s, &sc) != 0) return EXIT_USAGE;
    j.scale = v[1].s;
    j.seed = v[2].u;
    j.threads = (int)v[3].i;
    j.out = v[4].s;
    j.partition = strcmp(v[5].s, "-") ? v[5].s : NULL;
    j.time = strcmp(v[6].s, "-") ? v[6].s : NULL;
    j.submit = (int)v[7].i;
    return slurm_write(&j);
}

/* --- claims --------------------------------------------------------------- */

static const cmd_opt claims_opts[] = {
    {"out", CMD_STR, "build", 0, 0, 0, "directory holding verdicts/"},
    {"tex", CMD_STR, "-", 0, 0, 0, "also write the LaTeX ledger here"},
    {"detail", CMD_STR, "-", 0, 0, 0, "print one claim's registry entry, printed statements and pre-registration"},
    {"values", CMD_FLAG, "0", 0, 0, 0, "print every claim's key values (a baseline for --compare)"},
    {"json", CMD_FLAG, "0", 0, 0, 0, "print the ledger as JSON"},
    {"compare", CMD_STR, "-", 0, 0, 0, "report the values of this baseline that moved beyond their tolerance"},
    {NULL, CMD_END, NULL, 0, 0, 0, NULL},
};

static int cmd_claims(int argc, char **argv)
{
    cmd_val v[6];
    memset(v, 0, sizeof v);
    {
        int prc = parse_options("claims", claims_opts, v, argc, argv, 2);
        if (prc) return prc < 0 ? EXIT_USAGE : 0;
    }
    const char *out = v[0].s;
    if (strcmp(v[2].s, "-") != 0) return ledger_detail(v[2].s);
    if (!ledger_has_verdicts(out)) {
        fprintf(stderr, "deepcheap claims: no verdicts in %s (run 'make report' or 'deepcheap run all --out %s')\n",
                out, out);
        return 1;
    }
    if (ledger_check_provenance(out) != 0) return 1;
    if (v[3].i) return ledger_values(out);
    if (v[4].i) return ledger_json(out);
    if (strcmp(v[5].s, "-") != 0) return ledger_compare(out, v[5].s);
    int rc = claims_ledger(stdout, out, strcmp(v[1].s, "-") ? v[1].s : NULL);
    if (rc < 0) return 1;
    if (rc > 0) {
        fprintf(stderr, "deepcheap claims: %d claim(s) differ from the registry's expected verdict\n", rc);
        return 1;
    }
    return 0;
}

/* --- stability ---------------------------------------------------------------- */

static int cmd_stability(int argc, char **argv)
{
    char *pos[64];
    static const cmd_opt opts[] = {
        {"seeds", CMD_INTLIST, "1,2,3,4,5", 0, 1e15, 0, "base seeds (2 to 16 of them)"},
        {"scale", CMD_STR, "quick", 0, 0, 0, "quick or full"},
        {"threads", CMD_INT, NULL, 1, 4096, 0, "OpenMP threads"},
        {"out", CMD_STR, "build", 0, 0, 0, "output directory"},
        {NULL, CMD_END, NULL, 0, 0, 0, NULL},
    };
    cmd_opt o[5];
    cmd_val v[5];
    char cores[32];
    memcpy(o, opts, sizeof o);
    memset(v, 0, sizeof v);
    default_threads(o, cores, sizeof cores);
    int np = take_positional(o, &argc, argv, 2, pos, 64);
    for (int k = 0; k < np; k++)
        if (!experiments_find(pos[k])) {
            unknown_experiment("stability", pos[k]);
            return EXIT_USAGE;
        }
    {
        int prc = parse_options("stability", o, v, argc, argv, 2);
        if (prc) return prc < 0 ? EXIT_USAGE : 0;
    }
    exp_scale sc;
    if (parse_scale("stability", v[1].s, &sc) != 0) return EXIT_USAGE;
    if (v[0].nlist < 2 || v[0].nlist > 16) {
        fprintf(stderr, "deepcheap stability: --seeds: %d seeds; give 2 to 16\n", v[0].nlist);
        return EXIT_USAGE;
    }
    for (int i = 0; i < v[0].nlist; i++)
        for (int j = 0; j < i; j++)
            if (v[0].list[i] == v[0].list[j]) {
                fprintf(stderr, "deepcheap stability: --seeds: %lld given twice\n", (long long)v[0].list[i]);
                return EXIT_USAGE;
            }
    omp_set_num_threads((int)v[2].i);
    run_install_signal_cleanup();
    return ledger_stability(v[3].s, v[0].list, v[0].nlist, sc == EXP_QUICK, (int)v[2].i, DEEPCHEAP_SRCDIR,
                            (const char *const *)pos, np);
}

/* --- verdict ---------------------------------------------------------------- */

static const cmd_opt verdict_opts[] = {
    {"out", CMD_STR, "build", 0, 0, 0, "directory holding data/ and verdicts/"},
    {NULL, CMD_END, NULL, 0, 0, 0, NULL},
};

static int cmd_verdict(int argc, char **argv)
{
    if (command_help(argc, argv, "verdict ID [options]", verdict_opts)) return 0;
    if (argc < 3 || strncmp(argv[2], "--", 2) == 0) {
        fprintf(stderr, "deepcheap verdict: name a claim, e.g. 'deepcheap verdict LT-1' (see 'deepcheap claims')\n");
        return EXIT_USAGE;
    }

    cmd_val v[1];
    memset(v, 0, sizeof v);
    {
        int prc = parse_options("verdict", verdict_opts, v, argc, argv, 3);
        if (prc) return prc < 0 ? EXIT_USAGE : 0;
    }
    return ledger_verdict(argv[2], v[0].s);
}

/* --- query commands -------------------------------------------------------- */

/* `help TOPIC`: a top-level command's options or a query group's commands;
 * 0 when the topic is unknown. */
static int help_topic(const char *t)
{
    static const struct { const char *name, *synopsis; const cmd_opt *opts; } top[] = {
        {"run", "run EXPERIMENT|all [options]", run_opts}, {"merge", "merge EXPERIMENT DIR... [options]", merge_opts},
        {"slurm", "slurm EXPERIMENT --tasks N [options]", slurm_opts}, {"claims", "claims [options]", claims_opts},
        {"verdict", "verdict ID [options]", verdict_opts},
    };
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
        if (strcmp(top[i].name, t) == 0) {
            printf("usage: deepcheap %s\n", top[i].synopsis);
            for (const cmd_opt *o = top[i].opts; o->type != CMD_END; o++) option_help(stdout, o);
            return 1;
        }
    size_t n;
    const cmd_spec *q = commands_list(&n);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(q[i].group, t) == 0) {
            printf("deepcheap %s %s: %s\n", q[i].group, q[i].name, q[i].summary);
            for (const cmd_opt *o = q[i].opts; o->type != CMD_END; o++) option_help(stdout, o);
            found = 1;
        }
    return found;
}

static int cmd_query(int argc, char **argv)
{
    size_t n;
    const cmd_spec *t = commands_list(&n);
    int group_known = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(t[i].group, argv[1]) != 0) continue;
        group_known = 1;
        if (argc < 3 || strcmp(t[i].name, argv[2]) != 0) continue;
        char cmd[128];
        snprintf(cmd, sizeof cmd, "%s %s", t[i].group, t[i].name);
        cmd_val v[CMD_MAXOPT];
        memset(v, 0, sizeof v);
        {
        int prc = parse_options(cmd, t[i].opts, v, argc, argv, 3);
        if (prc) return prc < 0 ? EXIT_USAGE : 0;
    }
        return t[i].fn(v);
    }
    if (group_known && argc < 3) {
        char names[256] = "";
        for (size_t i = 0; i < n; i++)
            if (strcmp(t[i].group, argv[1]) == 0)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? ", " : "", t[i].name);
        fprintf(stderr, "deepcheap %s: name a subcommand: %s\n", argv[1], names);
    } else if (group_known)
        fprintf(stderr, "deepcheap %s: unknown subcommand '%s' ('deepcheap help %s' lists them)\n", argv[1], argv[2],
                argv[1]);
    else
        fprintf(stderr, "deepcheap: unknown command '%s' (see 'deepcheap help')\n", argv[1]);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "deepcheap: name a command ('deepcheap help' lists them)\n");
        return EXIT_USAGE;
    }
    const char *c = argv[1];
    if (strcmp(c, "--version") == 0 || strcmp(c, "version") == 0) {
        run_prov p;
        run_read_commit(&p, DEEPCHEAP_SRCDIR);
        printf("deepcheap %s%s\n", p.commit, p.dirty ? " (modified)" : "");
        print_library_versions(stdout);
        return 0;
    }
    if (strcmp(c, "help") == 0 || strcmp(c, "--help") == 0 || strcmp(c, "-h") == 0) {
        if (argc > 3 || (argc == 3 && !help_topic(argv[2]))) {
            fprintf(stderr, "deepcheap help: unknown topic '%s' (a command or a query group)\n", argv[argc - 1]);
            return EXIT_USAGE;
        }
        if (argc == 3) return 0;
        usage(stdout);
        list_commands(stdout);
        return 0;
    }
    if (strcmp(c, "list") == 0) {
        if (argc > 2) {
            fprintf(stderr, "deepcheap list: unexpected argument '%s'\n", argv[2]);
            return EXIT_USAGE;
        }
        list_experiments(stdout);
        return 0;
    }
    if (strcmp(c, "run") == 0) return cmd_run(argc, argv);
    if (strcmp(c, "claims") == 0) return cmd_claims(argc, argv);
    if (strcmp(c, "merge") == 0) return cmd_merge(argc, argv);
    if (strcmp(c, "verdict") == 0) return cmd_verdict(argc, argv);
    if (strcmp(c, "stability") == 0) return cmd_stability(argc, argv);
    if (strcmp(c, "slurm") == 0) return cmd_slurm(argc, argv);
    return cmd_query(argc, argv);
}

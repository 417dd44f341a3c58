/* deepcheap: the front door.  The only place that parses options. */
#include "claims.h"
#include "results.h"
#include "../bench/commands.h"
#include "../bench/experiments.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2

static void usage(FILE *f)
{
    fprintf(f,
            "usage: deepcheap list\n"
            "       deepcheap run EXPERIMENT|all [--scale quick|full] [--seed N] [--threads N] [--out DIR]\n"
            "       deepcheap claims [--out DIR] [--tex FILE]\n"
            "       deepcheap GROUP NAME [--option value]...   (query commands, see 'deepcheap help')\n");
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
        fprintf(f, "\n      %s\n", t[i].summary);
    }
}

/* --- value parsing: whole string, finite, in range ----------------------- */

static int parse_int(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end) return -1;
    *out = v;
    return 0;
}

static int parse_real(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9') return -1;
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
    case CMD_END: break;
    }
    return -1;
}

/* Parses argv[first..argc) against opts into vals; -1 on any bad input. */
static int parse_options(const char *cmd, const cmd_opt *opts, cmd_val *vals, int argc,
                         char **argv, int first)
{
    int nopt = 0;
    const char *given[CMD_MAXOPT] = {0};
    while (opts[nopt].type != CMD_END) nopt++;
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
        if (eq) val = eq + 1;
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

static const cmd_opt run_opts[] = {
    {"scale", CMD_STR, "full", 0, 0, 0, "quick or full"},
    {"seed", CMD_UINT64, "1", 0, 0, 0, "master seed"},
    {"threads", CMD_INT, NULL /* set to the core count */, 1, 4096, 0, "OpenMP threads"},
    {"out", CMD_STR, "build", 0, 0, 0, "output directory"},
    {NULL, CMD_END, NULL, 0, 0, 0, NULL},
};

static int run_one(const exp_entry *e, const exp_ctx *ctx, const char *scale_name)
{
    results_provenance p = {ctx->seed, scale_name, ctx->threads, e->name};
    results_set_provenance(&p);
    int rc = e->run(ctx);
    if (rc != 0) fprintf(stderr, "deepcheap run: experiment %s failed\n", e->name);
    return rc;
}

static int cmd_run(int argc, char **argv)
{
    if (argc < 3 || strncmp(argv[2], "--", 2) == 0) {
        fprintf(stderr, "deepcheap run: name an experiment (or 'all'):\n");
        list_experiments(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[2];
    const exp_entry *e = NULL;
    if (strcmp(name, "all") != 0 && !(e = experiments_find(name))) {
        fprintf(stderr, "deepcheap run: unknown experiment '%s'; the experiments are:\n", name);
        list_experiments(stderr);
        return EXIT_USAGE;
    }
    cmd_val v[5];
    memset(v, 0, sizeof v);
    cmd_opt opts[5];
    char cores[32];
    memcpy(opts, run_opts, sizeof opts);
    snprintf(cores, sizeof cores, "%d", omp_get_num_procs());
    opts[2].def = cores;
    if (parse_options("run", opts, v, argc, argv, 3) != 0) return EXIT_USAGE;
    exp_ctx ctx;
    if (strcmp(v[0].s, "quick") == 0) ctx.scale = EXP_QUICK;
    else if (strcmp(v[0].s, "full") == 0) ctx.scale = EXP_FULL;
    else {
        fprintf(stderr, "deepcheap run: --scale '%s': expected quick or full\n", v[0].s);
        return EXIT_USAGE;
    }
    ctx.seed = v[1].u;
    ctx.threads = (int)v[2].i;
    omp_set_num_threads(ctx.threads);
    results_set_outdir(v[3].s);
    if (e) return run_one(e, &ctx, v[0].s) ? 1 : 0;
    size_t n;
    const exp_entry *t = experiments_list(&n);
    int bad = 0;
    for (size_t i = 0; i < n; i++) bad |= run_one(&t[i], &ctx, v[0].s) != 0;
    return bad ? 1 : 0;
}

/* --- claims --------------------------------------------------------------- */

static const cmd_opt claims_opts[] = {
    {"out", CMD_STR, "build", 0, 0, 0, "directory holding verdicts/"},
    {"tex", CMD_STR, "", 0, 0, 0, "also write the LaTeX ledger here"},
    {NULL, CMD_END, NULL, 0, 0, 0, NULL},
};

static int cmd_claims(int argc, char **argv)
{
    cmd_val v[2];
    memset(v, 0, sizeof v);
    /* --tex defaults to empty: accept it by hand since CMD_STR rejects "" */
    cmd_opt opts[3];
    memcpy(opts, claims_opts, sizeof opts);
    opts[1].def = "-";
    if (parse_options("claims", opts, v, argc, argv, 2) != 0) return EXIT_USAGE;
    results_set_outdir(v[0].s);
    int rc = claims_ledger(stdout, strcmp(v[1].s, "-") ? v[1].s : NULL);
    if (rc < 0) return 1;
    if (rc > 0) {
        fprintf(stderr, "deepcheap claims: %d claim(s) differ from the registry's expected verdict\n", rc);
        return 1;
    }
    return 0;
}

/* --- query commands -------------------------------------------------------- */

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
        if (parse_options(cmd, t[i].opts, v, argc, argv, 3) != 0) return EXIT_USAGE;
        return t[i].fn(v);
    }
    if (group_known)
        fprintf(stderr, "deepcheap %s: unknown subcommand '%s' (see 'deepcheap help')\n", argv[1],
                argc >= 3 ? argv[2] : "");
    else
        fprintf(stderr, "deepcheap: unknown command '%s' (see 'deepcheap help')\n", argv[1]);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *c = argv[1];
    if (strcmp(c, "help") == 0 || strcmp(c, "--help") == 0 || strcmp(c, "-h") == 0) {
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
    return cmd_query(argc, argv);
}

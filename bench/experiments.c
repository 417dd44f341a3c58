#include "experiments.h"

#include "progress.h"
#include "verdicts.h"

#include <dirent.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const exp_entry table[] = {
#define EXPERIMENT(name, chapter, claims, data, summary, sym) {name, chapter, claims, data, summary, &sym##_def},
#include "experiments.def"
#undef EXPERIMENT
};

const exp_entry *experiments_list(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}

const exp_entry *experiments_find(const char *name)
{
    size_t n;
    const exp_entry *t = experiments_list(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0) return &t[i];
    return NULL;
}

/* One prefix per chapter for every macro its experiments write. */
const char *experiments_macro_prefix(int chapter)
{
    static const char *prefix[] = {"Perf", "Soft", "Gate", "Count", "Flat", "Hier", "Ising", "Quant"};
    return chapter >= 0 && chapter < (int)(sizeof prefix / sizeof prefix[0]) ? prefix[chapter] : "";
}

static const char *scale_name(exp_scale s) { return s == EXP_FULL ? "full" : "quick"; }

static void fill_prov(run_prov *p, const exp_entry *e, const exp_run_opts *o)
{
    memset(p, 0, sizeof *p);
    snprintf(p->experiment, sizeof p->experiment, "%s", e->name);
    p->chapter = e->chapter;
    p->seed = o->ctx.seed;
    snprintf(p->scale, sizeof p->scale, "%s", scale_name(o->ctx.scale));
    p->threads = o->ctx.threads;
    snprintf(p->sources, sizeof p->sources, "%s", experiments_sources(e->name));
}

/* The published set already holds this experiment at this seed, scale and sources. */
static int up_to_date(const exp_entry *e, const exp_run_opts *o)
{
    run_prov p;
    fill_prov(&p, e, o);
    char seed[32], scale[32], src[64], want[32];
    snprintf(want, sizeof want, "%llu", (unsigned long long)p.seed);
    return run_manifest_get(seed, sizeof seed, o->out, e->name, "seed") == 0 && strcmp(seed, want) == 0 &&
           run_manifest_get(scale, sizeof scale, o->out, e->name, "scale") == 0 && strcmp(scale, p.scale) == 0 &&
           run_manifest_get(src, sizeof src, o->out, e->name, "sources") == 0 && strcmp(src, p.sources) == 0 &&
           p.sources[0];
}

/* --- fault injection (tests) --------------------------------------------------- */
/* DEEPCHEAP_FAULT=WHERE[:SIGNAL] kills the run with SIGNAL (KILL by default,
 * or TERM, INT) at a chosen point, so the tests can check that a run
 * interrupted anywhere leaves nothing behind and resumes to the same bytes:
 * WHERE is cells:N (after N cells are stored), reduce (before reducing) or
 * publish (with the set staged, before it is published). */
static void fault(const char *where, long stored)
{
    const char *f = getenv("DEEPCHEAP_FAULT");
    if (!f) return;
    size_t lw = strlen(where);
    if (strncmp(f, where, lw) != 0) return;
    const char *rest = f + lw;
    if (strcmp(where, "cells") == 0) {
        if (*rest != ':' || strtol(rest + 1, (char **)&rest, 10) != stored) return;
    }
    int sig = SIGKILL;
    if (*rest == ':') sig = !strcmp(rest + 1, "TERM") ? SIGTERM : !strcmp(rest + 1, "INT") ? SIGINT : SIGKILL;
    raise(sig);
}

/* --- cells ------------------------------------------------------------------- */

static long cells_stored; /* in this process, for fault injection */
/* Wall seconds of the cells computed in this process: their sum (the grid's
 * cost in thread-seconds for parallel cells) and the largest (the floor no
 * number of shards goes below), for the cost model of the appendix. */
static double cell_seconds_sum, cell_seconds_max;

/* OpenBLAS (never threaded inside an OpenMP region). */
void openblas_set_num_threads(int n);

static int compute_one(const exp_entry *e, const exp_ctx *ctx, const run_cells *store, int c)
{
    cellio_out out;
    cellio_out_init(&out);
    double t0 = progress_seconds();
    int rc = e->def->cell(ctx, c, &out);
    double dt = progress_seconds() - t0;
    #pragma omp critical(cell_seconds)
    {
        cell_seconds_sum += dt;
        if (dt > cell_seconds_max) cell_seconds_max = dt;
    }
    if (rc == 0 && out.failed) {
        fprintf(stderr, "deepcheap: %s: cell %d: out of memory for its result\n", e->name, c);
        rc = -1;
    }
    if (rc == 0) rc = run_cell_store(store, c, out.p, out.n);
    else fprintf(stderr, "deepcheap: %s: cell %d failed\n", e->name, c);
    cellio_out_clear(&out);
    if (rc == 0) {
        long k;
        #pragma omp atomic capture
        k = ++cells_stored;
        fault("cells", k);
    }
    return rc;
}

/* Computes the cells of todo[0..n) that are not stored yet.  *reused counts
 * those found in the store. */
static int compute_cells(const exp_entry *e, const exp_ctx *ctx, const run_cells *store, const int *todo, int n,
                         int *reused)
{
    int *missing = malloc(sizeof(int) * (size_t)(n ? n : 1)), nm = 0;
    if (!missing) return -1;
    *reused = 0;
    for (int i = 0; i < n; i++) {
        unsigned char *p;
        size_t len;
        char err[512];
        int rc = run_cell_load(store, todo[i], &p, &len, err, sizeof err);
        if (rc == 0) {
            (*reused)++;
            free(p);
            continue;
        }
        if (rc < 0) fprintf(stderr, "deepcheap: %s (recomputing it)\n", err);
        missing[nm++] = todo[i];
    }
    int bad = 0;
    progress pr;
    progress_start(&pr, e->name, (uint64_t)nm);
    if (e->def->flags & EXP_SERIAL) {
        for (int i = 0; i < nm && !bad; i++) {
            bad |= compute_one(e, ctx, store, missing[i]) != 0;
            progress_add(&pr, 1);
        }
    } else {
        openblas_set_num_threads(1); /* cells run in parallel: BLAS single-threaded inside each */
        #pragma omp parallel for schedule(dynamic, 1) reduction(| : bad)
        for (int i = 0; i < nm; i++) {
            bad |= compute_one(e, ctx, store, missing[i]) != 0;
            progress_add(&pr, 1);
        }
    }
    progress_end(&pr);
    free(missing);
    return bad ? -1 : 0;
}

/* Loads all n cells; stores[c] says where cell c lives. */
static int load_cells(cellio_in *in, unsigned char **bufs, const run_cells *const *stores, int n, const char *name)
{
    for (int c = 0; c < n; c++) {
        size_t len;
        char err[512];
        int rc = run_cell_load(stores[c], c, &bufs[c], &len, err, sizeof err);
        if (rc != 0) {
            if (rc > 0) fprintf(stderr, "deepcheap: %s: cell %d is missing\n", name, c);
            else fprintf(stderr, "deepcheap: %s\n", err);
            return -1;
        }
        cellio_in_init(&in[c], bufs[c], len, c);
    }
    return 0;
}

/* The claims of e that have a verdict function: decided from the staged
 * data files, exactly as `deepcheap verdict ID` decides them later. */
static int decide_claims(const exp_entry *e, run_set *set)
{
    char list[512], data[4200];
    snprintf(list, sizeof list, "%s", e->claims);
    snprintf(data, sizeof data, "%s/data", set->dir);
    for (char *save = NULL, *id = strtok_r(list, " ", &save); id; id = strtok_r(NULL, " ", &save)) {
        if (!verdicts_find(id)) continue;
        char path[4400];
        snprintf(path, sizeof path, "%s/verdicts/%s.tsv", set->dir, id);
        if (access(path, F_OK) == 0) {
            fprintf(stderr, "deepcheap: %s: the reduce step emitted %s, which has a verdict function\n", e->name, id);
            return -1;
        }
        vd_result r;
        if (verdicts_decide(&r, id, data) != 0) return -1;
        if (claims_emit_values(set, id, r.verdict, r.measured, r.paper, r.note, r.values, r.nvalues) != 0) return -1;
    }
    return 0;
}

/* Reduce into a staging set and publish it. */
typedef struct {
    double compute_s;        /* wall seconds of the cell phase (merge: the slowest shard) */
    double cell_sum, cell_max; /* over the cells computed (merge: over all shards) */
} cell_costs;

static int reduce_publish(const exp_entry *e, const exp_ctx *ctx, const run_prov *prov, const char *out,
                          cellio_in *in, int n, int computed, int reused, cell_costs cost)
{
    double t0 = progress_seconds();
    run_set set;
    if (run_set_init(&set, out, prov, experiments_macro_prefix(e->chapter)) != 0) return -1;
    fault("reduce", 0);
    int rc = e->def->reduce(ctx, in, n, &set);
    for (int c = 0; rc == 0 && c < n; c++) rc = cellio_in_done(&in[c]);
    if (rc == 0) rc = decide_claims(e, &set);
    if (rc == 0) fault("publish", 0);
    if (rc == 0) {
        char extra[512];
        /* wall times of this process: what the cost model of the performance appendix reads */
        snprintf(extra, sizeof extra,
                 "cells\t%d\ncells_computed\t%d\ncells_reused\t%d\ncompute_seconds\t%.3f\ncell_seconds_sum\t%.3f\n"
                 "cell_seconds_max\t%.3f\nreduce_seconds\t%.3f\ncells_parallel\t%d\nbenchmark\t%d\n",
                 n, computed, reused, cost.compute_s, cost.cell_sum, cost.cell_max, progress_seconds() - t0,
                 !(e->def->flags & EXP_SERIAL), (e->def->flags & EXP_BENCH) != 0);
        rc = run_publish(&set, e->data, e->claims, extra);
    }
    run_set_clear(&set);
    return rc;
}

static int run_cells_and_reduce(const exp_entry *e, const exp_run_opts *o, const run_prov *prov)
{
    const exp_ctx *ctx = &o->ctx;
    int n = e->def->ncells(ctx);
    if (n < 1) {
        fprintf(stderr, "deepcheap: %s: empty grid\n", e->name);
        return -1;
    }
    run_cells store;
    if (run_cells_init(&store, o->out, prov, n) != 0) return -1;
    int *todo = malloc(sizeof(int) * (size_t)n), nt = 0;
    if (!todo) return -1;
    for (int c = 0; c < n; c++)
        if (o->shard_n == 0 || c % o->shard_n == o->shard_k - 1) todo[nt++] = c;
    int reused = 0;
    double t0 = progress_seconds();
    int rc = compute_cells(e, ctx, &store, todo, nt, &reused);
    double compute_s = progress_seconds() - t0;
    free(todo);
    if (rc != 0) return -1;
    if (o->shard_n) {
        char extra[256];
        snprintf(extra, sizeof extra, "compute_seconds\t%.3f\ncell_seconds_sum\t%.3f\ncell_seconds_max\t%.3f\n",
                 compute_s, cell_seconds_sum, cell_seconds_max);
        rc = run_shard_write(o->out, prov, n, o->shard_k, o->shard_n, extra);
        if (rc == 0) fprintf(stderr, "deepcheap run: %s shard %d/%d: %d cells computed in %.2f s, %d reused\n", e->name,
                             o->shard_k, o->shard_n, nt - reused, compute_s, reused);
        return rc;
    }
    cellio_in *in = calloc((size_t)n, sizeof *in);
    unsigned char **bufs = calloc((size_t)n, sizeof *bufs);
    const run_cells **stores = malloc(sizeof *stores * (size_t)n);
    rc = in && bufs && stores ? 0 : -1;
    for (int c = 0; rc == 0 && c < n; c++) stores[c] = &store;
    if (rc == 0) rc = load_cells(in, bufs, stores, n, e->name);
    cell_costs cost = {compute_s, cell_seconds_sum, cell_seconds_max};
    if (rc == 0) rc = reduce_publish(e, ctx, prov, o->out, in, n, n - reused, reused, cost);
    if (rc == 0) run_cells_remove(&store);
    for (int c = 0; bufs && c < n; c++) free(bufs[c]);
    free(in), free(bufs), free(stores);
    return rc;
}

/* One line after a publish: what was written and which verdicts came out. */
static void summary(const exp_entry *e, const char *out, double seconds)
{
    char line[2048], v[64];
    int nfiles = 0;
    for (const char *p = e->data; *p;) {
        while (*p == ' ') p++;
        size_t w = strcspn(p, " ");
        nfiles += w > 0;
        p += w;
    }
    int len = snprintf(line, sizeof line, "deepcheap run: %s: published %d data file%s", e->name, nfiles,
                       nfiles == 1 ? "" : "s");
    char list[512];
    snprintf(list, sizeof list, "%s", e->claims);
    for (char *save = NULL, *id = strtok_r(list, " ", &save); id && len < (int)sizeof line; id = strtok_r(NULL, " ", &save)) {
        const claims_entry *c = claims_find(id);
        claims_row row;
        if (!c) continue;
        claims_read(&row, c, out);
        len += snprintf(line + len, sizeof line - (size_t)len, ", %s %s", id, claims_verdict_name(row.verdict));
    }
    if (len < (int)sizeof line && run_manifest_get(v, sizeof v, out, e->name, "cells_reused") == 0)
        len += snprintf(line + len, sizeof line - (size_t)len, " into %s (%s cells reused, %.1f s)", out, v, seconds);
    fprintf(stderr, "%s\n", line);
}

int experiments_run(const exp_entry *e, const exp_run_opts *o)
{
    if (o->if_needed && up_to_date(e, o)) return 0;
    int bench = (e->def->flags & EXP_BENCH) != 0;
    if (bench && o->shard_n) {
        fprintf(stderr, "deepcheap run: %s is a benchmark: it runs whole, on one machine (no --shard)\n", e->name);
        return 2;
    }
    run_prov prov;
    fill_prov(&prov, e, o);
    run_read_commit(&prov, o->srcdir);
    int mfd = -1, efd = -1;
    if (run_lock_machine(&mfd, o->out, bench) != 0) return 1;
    if (!o->shard_n && run_lock_experiment(&efd, o->out, e->name) != 0) {
        close(mfd);
        return 1;
    }
    if (efd >= 0) run_clean_stale(o->out, e->name);
    double t0 = progress_seconds();
    int rc = run_cells_and_reduce(e, o, &prov);
    if (rc != 0) fprintf(stderr, "deepcheap run: experiment %s failed; nothing published\n", e->name);
    else if (!o->shard_n) summary(e, o->out, progress_seconds() - t0);
    if (efd >= 0) close(efd);
    close(mfd);
    return rc ? 1 : 0;
}

/* --- merge ---------------------------------------------------------------------- */

typedef struct {
    char dir[2048], file[1024];
    char experiment[64], seed[32], scale[16], commit[64], dirty[8], sources[40], shard[32];
    int ncells;
    double compute_s, cell_sum, cell_max;
    char *cells; /* comma-separated */
} shard_info;

static int read_shard(shard_info *s, const char *dir, const char *file)
{
    memset(s, 0, sizeof *s);
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    snprintf(s->file, sizeof s->file, "%s", file);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    s->ncells = -1;
    while ((len = getline(&line, &cap, f)) > 0) {
        line[strcspn(line, "\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        const char *v = tab + 1;
        if (!strcmp(line, "experiment")) snprintf(s->experiment, sizeof s->experiment, "%s", v);
        else if (!strcmp(line, "seed")) snprintf(s->seed, sizeof s->seed, "%s", v);
        else if (!strcmp(line, "scale")) snprintf(s->scale, sizeof s->scale, "%s", v);
        else if (!strcmp(line, "commit")) snprintf(s->commit, sizeof s->commit, "%s", v);
        else if (!strcmp(line, "dirty")) snprintf(s->dirty, sizeof s->dirty, "%s", v);
        else if (!strcmp(line, "sources")) snprintf(s->sources, sizeof s->sources, "%s", v);
        else if (!strcmp(line, "shard")) snprintf(s->shard, sizeof s->shard, "%s", v);
        else if (!strcmp(line, "ncells")) s->ncells = atoi(v);
        else if (!strcmp(line, "compute_seconds")) s->compute_s = atof(v);
        else if (!strcmp(line, "cell_seconds_sum")) s->cell_sum = atof(v);
        else if (!strcmp(line, "cell_seconds_max")) s->cell_max = atof(v);
        else if (!strcmp(line, "cells")) s->cells = strdup(v);
    }
    free(line);
    fclose(f);
    return s->cells && s->ncells > 0 && s->experiment[0] ? 0 : -1;
}

/* Reads the shard manifests of experiment `name` in each dir into *out
 * (*count of them, even on failure, so the caller can free them). */
static int find_shards(shard_info **out, int *count, const char *name, const char *const *dirs, int ndirs)
{
    shard_info *v = NULL;
    int n = 0, bad = 0;
    for (int d = 0; d < ndirs && !bad; d++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/shards/%s", dirs[d], name);
        DIR *dh = opendir(path);
        int found = 0;
        struct dirent *de;
        while (dh && !bad && (de = readdir(dh))) {
            size_t l = strlen(de->d_name);
            if (l < 5 || strcmp(de->d_name + l - 4, ".tsv") != 0) continue;
            shard_info *w = realloc(v, sizeof *v * (size_t)(n + 1));
            if (!w) {
                bad = 1;
                break;
            }
            v = w;
            char rel[600];
            snprintf(rel, sizeof rel, "shards/%s/%s", name, de->d_name);
            if (read_shard(&v[n++], dirs[d], rel) != 0) {
                fprintf(stderr, "deepcheap merge: %s/%s: not a shard manifest\n", dirs[d], rel);
                bad = 1;
            }
            found++;
        }
        if (dh) closedir(dh);
        if (!bad && !found) {
            fprintf(stderr, "deepcheap merge: %s holds no shard of %s\n", dirs[d], name);
            bad = 1;
        }
    }
    *out = v;
    *count = n;
    return bad ? -1 : 0;
}

/* The field in which shard b differs from shard a, or NULL. */
static const char *differs(const shard_info *a, const shard_info *b)
{
    if (strcmp(a->experiment, b->experiment)) return "experiment";
    if (strcmp(a->seed, b->seed)) return "seed";
    if (strcmp(a->scale, b->scale)) return "scale";
    if (strcmp(a->commit, b->commit) || strcmp(a->dirty, b->dirty)) return "commit";
    if (strcmp(a->sources, b->sources)) return "sources";
    if (a->ncells != b->ncells) return "number of cells";
    return NULL;
}

/* owner[c] = the shard holding cell c; one line and -1 on a missing or doubled cell. */
static int assign_cells(int *owner, const shard_info *s, int ns, int ncells)
{
    for (int c = 0; c < ncells; c++) owner[c] = -1;
    for (int i = 0; i < ns; i++) {
        for (const char *p = s[i].cells; *p;) {
            char *end;
            long c = strtol(p, &end, 10);
            if (end == p || c < 0 || c >= ncells) {
                fprintf(stderr, "deepcheap merge: %s/%s: bad cell list\n", s[i].dir, s[i].file);
                return -1;
            }
            if (owner[c] >= 0) {
                fprintf(stderr, "deepcheap merge: cell %ld is doubled: in %s/%s and %s/%s\n", c, s[owner[c]].dir,
                        s[owner[c]].file, s[i].dir, s[i].file);
                return -1;
            }
            owner[c] = i;
            p = *end == ',' ? end + 1 : end;
        }
    }
    for (int c = 0; c < ncells; c++)
        if (owner[c] < 0) {
            fprintf(stderr, "deepcheap merge: cell %d of %d is missing: no shard holds it\n", c, ncells);
            return -1;
        }
    return 0;
}

static int merge_checked(const exp_entry *e, shard_info *s, int ns, const exp_run_opts *o)
{
    for (int i = 1; i < ns; i++) {
        const char *what = differs(&s[0], &s[i]);
        if (what) {
            fprintf(stderr, "deepcheap merge: %s/%s and %s/%s differ in %s\n", s[0].dir, s[0].file, s[i].dir,
                    s[i].file, what);
            return -1;
        }
    }
    const char *mine = experiments_sources(e->name);
    if (strcmp(s[0].sources, mine) != 0) {
        fprintf(stderr, "deepcheap merge: the shards ran sources %s, this program has %s: rebuild or rerun\n",
                s[0].sources, mine);
        return -1;
    }
    exp_run_opts mo = *o;
    mo.ctx.scale = strcmp(s[0].scale, "full") == 0 ? EXP_FULL : EXP_QUICK;
    mo.ctx.seed = strtoull(s[0].seed, NULL, 10);
    if (strcmp(scale_name(mo.ctx.scale), s[0].scale) != 0) {
        fprintf(stderr, "deepcheap merge: %s/%s: unknown scale '%s'\n", s[0].dir, s[0].file, s[0].scale);
        return -1;
    }
    int n = s[0].ncells;
    if (n != e->def->ncells(&mo.ctx)) {
        fprintf(stderr, "deepcheap merge: the shards have %d cells, %s has %d at this scale\n", n, e->name,
                e->def->ncells(&mo.ctx));
        return -1;
    }
    int *owner = malloc(sizeof(int) * (size_t)n);
    run_cells *stores = calloc((size_t)ns, sizeof *stores);
    const run_cells **by_cell = malloc(sizeof *by_cell * (size_t)n);
    cellio_in *in = calloc((size_t)n, sizeof *in);
    unsigned char **bufs = calloc((size_t)n, sizeof *bufs);
    run_prov prov;
    fill_prov(&prov, e, &mo);
    snprintf(prov.commit, sizeof prov.commit, "%s", s[0].commit);
    prov.dirty = strcmp(s[0].dirty, "1") == 0;
    int rc = owner && stores && by_cell && in && bufs ? assign_cells(owner, s, ns, n) : -1;
    for (int i = 0; rc == 0 && i < ns; i++) rc = run_cells_init(&stores[i], s[i].dir, &prov, n);
    for (int c = 0; rc == 0 && c < n; c++) by_cell[c] = &stores[owner[c]];
    int efd = -1;
    if (rc == 0) rc = run_lock_experiment(&efd, o->out, e->name);
    if (rc == 0) run_clean_stale(o->out, e->name);
    if (rc == 0) rc = load_cells(in, bufs, by_cell, n, e->name);
    cell_costs cost = {0, 0, 0};
    for (int i = 0; i < ns; i++) {
        cost.compute_s = s[i].compute_s > cost.compute_s ? s[i].compute_s : cost.compute_s;
        cost.cell_sum += s[i].cell_sum;
        cost.cell_max = s[i].cell_max > cost.cell_max ? s[i].cell_max : cost.cell_max;
    }
    if (rc == 0) rc = reduce_publish(e, &mo.ctx, &prov, o->out, in, n, 0, n, cost);
    if (efd >= 0) close(efd);
    for (int c = 0; bufs && c < n; c++) free(bufs[c]);
    free(owner), free(stores), free(by_cell), free(in), free(bufs);
    return rc;
}

int experiments_merge(const exp_entry *e, const char *const *dirs, int ndirs, const exp_run_opts *o)
{
    if (e->def->flags & EXP_BENCH) {
        fprintf(stderr, "deepcheap merge: %s is a benchmark: it has no shards to merge\n", e->name);
        return 2;
    }
    int ns;
    shard_info *s;
    int rc = find_shards(&s, &ns, e->name, dirs, ndirs);
    if (rc == 0) rc = merge_checked(e, s, ns, o);
    for (int i = 0; i < ns; i++) free(s[i].cells);
    free(s);
    return rc ? 1 : 0; /* the failing check printed its one line; nothing was published */
}

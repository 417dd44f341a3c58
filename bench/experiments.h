/* experiments: the registry behind `deepcheap list`, `run`, `merge` and `slurm`.
 *
 * An experiment is a grid of independent cells and a reduce step.  Cell c
 * draws its random numbers from streams keyed by (seed, c, stream), so its
 * result depends on nothing else: not on the thread count, the shard, or
 * whether the run was resumed.  The runner computes the cells (in parallel,
 * or one after another for experiments that parallelize inside a cell),
 * stores each result as it finishes, and then calls reduce with all of them
 * in cell order; reduce writes the data files, the macros and the verdicts
 * into a result set (src/run.h) that the runner publishes atomically.
 *
 * Each experiment is one line of experiments.def:
 *   EXPERIMENT(name, chapter, claims, data, summary, sym)
 * `claims` are the claim IDs it decides and `data` the files it writes under
 * data/ (both space-separated; the runner refuses a set that differs, and the
 * Makefile reads `data` to know which figures depend on which experiment).
 * The experiment's file defines `const exp_def sym_def`. */
#ifndef DEEPCHEAP_EXPERIMENTS_H
#define DEEPCHEAP_EXPERIMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "cellio.h"
#include "run.h"

typedef enum { EXP_QUICK = 0, EXP_FULL = 1 } exp_scale;

typedef struct {
    exp_scale scale;
    uint64_t seed;
    int threads;
} exp_ctx;

enum {
    EXP_SERIAL = 1, /* cells one after another, each using all threads */
    EXP_BENCH = 2   /* a benchmark: never sharded, runs alone on the machine */
};

typedef struct {
    /* Number of cells of the grid at ctx's scale (>= 1). */
    int (*ncells)(const exp_ctx *ctx);
    /* Computes cell c and puts its result into out.  0, or -1 after one line
     * on stderr.  Must depend only on (ctx->scale, ctx->seed, c). */
    int (*cell)(const exp_ctx *ctx, int c, cellio_out *out);
    /* Reads every cell (in[0..n), in cell order) and writes the set.  0, or
     * -1 after one line on stderr.  Reads no clock and draws no random
     * number beyond the cells, so the set follows from the cells alone. */
    int (*reduce)(const exp_ctx *ctx, cellio_in *in, int n, run_set *set);
    int flags;
} exp_def;

typedef struct {
    const char *name;    /* lowercase, digits and '-' */
    int chapter;         /* CLAIMS.md chapter; 0 for the performance appendix */
    const char *claims;  /* claim IDs it decides, space separated */
    const char *data;    /* files it writes under data/, space separated */
    const char *summary;
    const exp_def *def;
} exp_entry;

const exp_entry *experiments_list(size_t *n);
const exp_entry *experiments_find(const char *name);
/* The macro prefix of a chapter's experiments ("Soft" for chapter 1, ...). */
const char *experiments_macro_prefix(int chapter);
/* Hash of the experiment's sources (generated at build time); "" if unknown. */
const char *experiments_sources(const char *name);

/* Options of one run. */
typedef struct {
    exp_ctx ctx;
    const char *out;       /* output directory */
    const char *srcdir;    /* source tree, for the commit (may be NULL) */
    int shard_k, shard_n;  /* 1-based shard k of n; n = 0: the whole grid */
    int if_needed;         /* skip when the published set already matches */
} exp_run_opts;

/* Runs one experiment (or its shard).  Returns the exit status: 0, or 1
 * after one line on stderr. */
int experiments_run(const exp_entry *e, const exp_run_opts *o);

/* Merges the shards found in dirs[0..ndirs) (each a --out of
 * `run --shard`), checks that they share experiment, seed, scale, commit
 * and sources and hold every cell exactly once, then reduces and publishes
 * into o->out.  Exit status 0, or 1 after one line naming what is wrong. */
int experiments_merge(const exp_entry *e, const char *const *dirs, int ndirs, const exp_run_opts *o);

/* Every experiment function, declared once (bench/experiments.def). */
#define EXPERIMENT(name, chapter, claims, data, summary, sym) extern const exp_def sym##_def;
#include "experiments.def"
#undef EXPERIMENT

#endif

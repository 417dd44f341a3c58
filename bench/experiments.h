/* experiments: the registry behind `deepcheap list` and `deepcheap run`.
 *
 * An experiment is a grid of independent cells, each with its own RNG
 * streams keyed by (seed, cell, stream).  It writes <outdir>/data/NAME.tsv,
 * <outdir>/macros/NAME.tex and its claims' verdicts, and returns 0, or
 * non-zero on an error (not on a failed claim: that is a verdict). */
#ifndef DEEPCHEAP_EXPERIMENTS_H
#define DEEPCHEAP_EXPERIMENTS_H

#include <stddef.h>
#include <stdint.h>

typedef enum { EXP_QUICK = 0, EXP_FULL = 1 } exp_scale;

typedef struct {
    exp_scale scale;
    uint64_t seed;
    int threads;
} exp_ctx;

typedef int (*exp_fn)(const exp_ctx *ctx);

typedef struct {
    const char *name;    /* lowercase, digits and '-' */
    int chapter;         /* CLAIMS.md chapter */
    const char *claims;  /* claim IDs it decides, space separated */
    const char *summary;
    exp_fn run;
} exp_entry;

const exp_entry *experiments_list(size_t *n);
const exp_entry *experiments_find(const char *name);

/* Every experiment function, declared once (bench/experiments.def). */
#define EXPERIMENT(name, chapter, claims, summary, fn) int fn(const exp_ctx *ctx);
#include "experiments.def"
#undef EXPERIMENT

#endif

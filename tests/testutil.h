/* Shared scaffolding for experiment-level tests. */
#ifndef DEEPCHEAP_TESTUTIL_H
#define DEEPCHEAP_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdint.h>

#include "experiments.h"
#include "rbm.h"
#include "verdicts.h"

/* Creates a fresh /tmp directory (for one test's output). */
void testutil_outdir(char *dir, size_t n);
/* Removes it and restores one thread. */
void testutil_cleanup(const char *dir);
/* Asserts that <dir>/verdicts/ID.tsv holds the registry's expected verdict. */
void testutil_expect_verdict(const char *dir, const char *id);
/* The data rows of <dir>/data/NAME.tsv without the '#' provenance lines (free it). */
char *testutil_data_rows(const char *dir, const char *name);

/* Runs experiment `name` (as `deepcheap run` does: cells, reduce, publish)
 * at quick scale into dir with the given seed and threads; asserts success. */
void testutil_run(const char *dir, const char *name, uint64_t seed, int threads);

/* Runs experiment `experiment` at quick scale with 1 and 2 threads, each in
 * a fresh outdir: asserts that data file `data` is non-trivial and the same
 * for both, and that claim `id` gets the registry's expected verdict. */
void testutil_check_experiment(const char *experiment, const char *data, const char *id);

/* Runs experiment `experiment` at quick scale once whole (2 threads) and
 * once as `nshards` shards (1 thread each, separate directories) merged
 * into a third directory, and asserts that every data file it declares is
 * byte-identical between the two apart from '# date' lines, and that both
 * publish the same verdicts. */
void testutil_check_shards(const char *experiment, int nshards);
/* The same, and the whole run gives claim id its registered verdict: for
 * experiments too costly to run twice more (the whole run has 2 threads and
 * each shard 1, so it also checks the thread count changes nothing). */
void testutil_check_shards_verdict(const char *experiment, int nshards, const char *id);
/* Under the sanitizers (make test SAN=1) these two run the shards and the
 * merge only: every file must be there, and the merged set gives the
 * registered verdict; the experiment's code runs once under ASan/UBSan.
 * The whole-versus-shards identity is the plain build's check (make test):
 * running each quick experiment twice more under ASan would take CI past
 * its 45 minutes. */
#if defined(__SANITIZE_ADDRESS__)
#define TESTUTIL_SANITIZED 1
#else
#define TESTUTIL_SANITIZED 0
#endif

/* 1 when the two files are equal apart from lines starting with '# date'. */
int testutil_same_file(const char *a, const char *b);

/* Runs verdict function fn on the synthetic data files in dir (with the
 * printed statements pr[0..npr) instead of the registry's when pr is not
 * NULL) into *r, and asserts that it decides; `what` names the case. */
void testutil_decide(vd_result *r, vd_fn fn, const char *dir, const claims_printed *pr, size_t npr, const char *what);

/* 1 when a and b are the same deep model bit for bit (kind, sizes, W, b, c). */
int testutil_same_rbm_deep(const rbm_deep *a, const rbm_deep *b);

#endif

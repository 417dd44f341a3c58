/* run: an experiment's result set, its provenance, and its stored cells.
 *
 * A run computes the cells of one experiment's grid, stores each cell's
 * result as it finishes (so a killed run resumes where it stopped), reduces
 * the cells into a result set (data files, one macro file, verdict files, a
 * manifest) staged in a private directory, and publishes the whole set in
 * one atomic step.  Layout under the output directory OUT:
 *
 *   OUT/sets/EXP              symlink to the published set EXP.<runid>/,
 *                             swapped by one rename(2)
 *   OUT/sets/EXP.<runid>/     data/, macros/, verdicts/, manifest.tsv
 *   OUT/data/F, OUT/macros/F, OUT/verdicts/F
 *                             symlinks to ../sets/EXP/<kind>/F: readers see
 *                             one published set per experiment, never a mix
 *   OUT/cells/EXP/KEY/N.cell  stored cell results, KEY = scale-seed-sources
 *   OUT/shards/EXP/K-of-N.tsv a shard's manifest (cells it computed)
 *
 * No globals: everything a run needs travels in run_prov and run_set. */
#ifndef DEEPCHEAP_RUN_H
#define DEEPCHEAP_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "binio.h"
#include "texmac.h"

/* What a result depends on, recorded in every file and in the manifest. */
typedef struct {
    char experiment[64];
    int chapter;
    uint64_t seed;
    char scale[16];     /* "quick" or "full" */
    int threads;
    char commit[64];    /* read at run time, not compiled in */
    int dirty;          /* tracked files modified at run time */
    char sources[40];   /* hash of the experiment's sources and build flags */
} run_prov;

/* The commit and modified flag: $DEEPCHEAP_COMMIT (and $DEEPCHEAP_DIRTY=0|1)
 * when set, else `git` in `srcdir`, else "unknown". */
void run_read_commit(run_prov *p, const char *srcdir);

/* Writes the '#' provenance lines: what, commit, experiment, seed, scale,
 * threads, UTC date. */
void run_write_header(FILE *f, const run_prov *p, const char *what);

/* --- a result set being built --------------------------------------------- */
typedef struct {
    char out[2048];        /* the output directory */
    char dir[4096];        /* the private staging directory */
    char name[128];        /* its name under OUT/sets */
    run_prov prov;
    const char *prefix;    /* every macro name starts with it ("" = any) */
    binio_file macros;     /* OUT/.../macros/EXP.tex, opened by the first run_macros */
    int failed;            /* a write failed or a check refused: never published */
} run_set;

/* Creates the staging directory for prov->experiment under `out`.  0, or -1
 * with one line on stderr. */
int run_set_init(run_set *s, const char *out, const run_prov *prov, const char *macro_prefix);
/* Removes the staging directory (nothing published) and frees. */
void run_set_clear(run_set *s);

/* Opens <set>/data/<name>.tsv with the provenance header and the column
 * line (tab-separated names).  Close it with run_close. */
int run_tsv_open(binio_file *f, run_set *s, const char *name, const char *columns);
/* Opens <set>/data/<file> for any other data (file name with extension). */
int run_data_open(binio_file *f, run_set *s, const char *file);
/* The path of <set>/data/<file> (for writers that take a path). */
int run_data_path(char *buf, size_t n, const run_set *s, const char *file);
/* Writes <set>/data/<name>.tsv whose rows are `rows` (text a cell handed
 * over with cellio_put_printed).  0, or -1 (the set marked failed). */
int run_tsv_write(run_set *s, const char *name, const char *columns, const char *rows);
/* Commits a file opened by run_tsv_open/run_data_open; a failure marks the set. */
int run_close(run_set *s, binio_file *f);
/* Drops a file (nothing of it reaches the set) and marks the set failed. */
void run_abort_file(run_set *s, binio_file *f);

/* Appends a table of macros to the set's macro file macros/EXP.tex.  Every
 * name must start with the chapter's prefix.  -1 (and the set marked failed)
 * on a bad name. */
int run_macros(run_set *s, const texmac *t, size_t n);

/* Writes verdicts/ID.tsv: the claim's verdict line, with provenance, then
 * `extra` (more lines, may be NULL). */
int run_verdict(run_set *s, const char *id, const char *verdict, const char *measured, const char *paper,
                const char *note, const char *extra);

/* Checks the staged set: data/ holds exactly the files named in `data`
 * (space-separated) and verdicts/ exactly the claims in `claims`; writes the
 * manifest (provenance, cell counts, CPU, checksum of every file) and
 * publishes the set atomically.  `extra` lines (key\tvalue\n...) go into
 * the manifest.  0, or -1 with one line on stderr and nothing published. */
int run_publish(run_set *s, const char *data, const char *claims, const char *extra);

/* --- published sets -------------------------------------------------------- */
/* Removes what killed runs of the experiment left in OUT: staging
 * directories other than the published set, and temp files of dead
 * processes.  Call with the experiment's lock held. */
void run_clean_stale(const char *out, const char *experiment);

/* Reads key `key` of OUT/sets/EXP/manifest.tsv into buf.  0, or -1 when the
 * set or the key is missing. */
int run_manifest_get(char *buf, size_t n, const char *out, const char *experiment, const char *key);

/* --- locks ------------------------------------------------------------------- */
/* flock on OUT/sets/.EXP.lock, non-blocking: 0, or -1 with one line on
 * stderr when another run holds it (or OUT is not writable).  *fd receives
 * the lock's descriptor (close it to release). */
int run_lock_experiment(int *fd, const char *out, const char *experiment);
/* The machine lock OUT/.machine.lock: exclusive for benchmarks, shared for
 * everything else, blocking, so no experiment runs beside a benchmark. */
int run_lock_machine(int *fd, const char *out, int exclusive);

/* --- stored cells --------------------------------------------------------------- */
typedef struct {
    char dir[4096];  /* OUT/cells/EXP/KEY */
    run_prov prov;
    int ncells;
} run_cells;

/* Opens (creating) the cell store of prov's experiment, seed, scale and sources. */
int run_cells_init(run_cells *c, const char *out, const run_prov *prov, int ncells);
/* Loads cell `cell`: 0 with *p (malloc'd) and *n; 1 when absent; -1 when the
 * file is there but corrupt or from another run (one line in err; the file
 * is then recomputed). */
int run_cell_load(const run_cells *c, int cell, unsigned char **p, size_t *n, char *err, size_t nerr);
/* Stores a cell's payload atomically (temp file, then rename). */
int run_cell_store(const run_cells *c, int cell, const unsigned char *p, size_t n);
/* Removes the store (after a publish). */
void run_cells_remove(const run_cells *c);

/* --- shards ------------------------------------------------------------------- */
/* Writes OUT/shards/EXP/K-of-N.tsv listing the cells of shard k (1-based)
 * of n; `extra` lines (key\tvalue\n..., may be NULL) are added. */
int run_shard_write(const char *out, const run_prov *p, int ncells, int k, int n, const char *extra);

/* --- interrupts ----------------------------------------------------------------- */
/* Installs SIGINT/SIGTERM/SIGHUP handlers that remove the registered
 * staging directory and temp files, then exit with 128 + signal. */
void run_install_signal_cleanup(void);

/* rm -rf; 0 on success. */
int run_remove_tree(const char *path);

#endif

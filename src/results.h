/* results: data files with provenance, LaTeX macro files, atomic writes.
 *
 * Every file is written to "<path>.tmp.<pid>" and renamed over <path> on
 * close, so an interrupted run never leaves a half-written result.
 * Data files go to <outdir>/data/NAME.tsv, macro files to
 * <outdir>/macros/NAME.tex, verdict files to <outdir>/verdicts/ID.tsv. */
#ifndef DEEPCHEAP_RESULTS_H
#define DEEPCHEAP_RESULTS_H

#include <stdint.h>
#include <stdio.h>

/* Provenance recorded in every header.  Set once by the command's main. */
typedef struct {
    uint64_t seed;
    const char *scale;   /* "quick" or "full" */
    int threads;
    const char *experiment;
} results_provenance;

void results_set_outdir(const char *dir);
const char *results_outdir(void);
void results_set_provenance(const results_provenance *p);
const results_provenance *results_get_provenance(void);

/* The commit and modified flag of the run (set by the runner from
 * run_read_commit; read at run time, not compiled in). */
void results_set_commit(const char *commit, int dirty);
const char *results_commit(void);
int results_dirty(void);

/* --- atomic files ------------------------------------------------------ */
typedef struct {
    FILE *f;
    char *path;
    char *tmp;
    int failed;
} results_file;

/* Opens a temp file beside `path`, creating parent directories.
 * Returns 0 on success; on failure prints one line to stderr and returns -1. */
int results_file_open(results_file *rf, const char *path);
/* Flushes, checks for write errors, renames into place. 0 on success. */
int results_file_commit(results_file *rf);
/* Removes the temp file; nothing reaches `path`. */
void results_file_abort(results_file *rf);

/* mkdir -p; 0 on success. */
int results_mkdirs(const char *dir);

/* Writes the '#' provenance header lines (commit, dirty, seed, scale,
 * threads, UTC date, and `what`). */
void results_write_header(FILE *f, const char *what);

/* --- TSV data files ---------------------------------------------------- */
/* Opens <outdir>/data/<name>.tsv with the provenance header and the column
 * line `columns` (tab separated names). */
int results_tsv_open(results_file *rf, const char *name, const char *columns);

/* --- LaTeX macro files -------------------------------------------------- */
/* Opens <outdir>/macros/<name>.tex. */
int results_macros_open(results_file *rf, const char *name);
/* \newcommand{\NAME}{VALUE}; NAME must be letters only (TeX control word),
 * checked: a bad name marks the file failed so it is never committed. */
void results_macro_str(results_file *rf, const char *name, const char *value);
void results_macro_int(results_file *rf, const char *name, long long v);
/* Fixed notation with `digits` after the point. */
void results_macro_fix(results_file *rf, const char *name, int digits, double v);
/* Scientific notation as LaTeX math: 1.23\times10^{-4} (no $ delimiters;
 * use the macro inside math or via \ensuremath, which it carries). */
void results_macro_sci(results_file *rf, const char *name, int digits, double v);
/* Fixed or scientific by magnitude with `sig` significant digits. */
void results_macro_num(results_file *rf, const char *name, int sig, double v);

/* Formats like results_macro_num into buf (for measured-value strings). */
void results_format_num(char *buf, size_t n, int sig, double v);

/* --- checksums ------------------------------------------------------------ */
/* FNV-1a 64 over n bytes, continuing from h (start with RESULTS_FNV1A_INIT):
 * detects truncation and bit flips in our binary files, not an adversary. */
#define RESULTS_FNV1A_INIT 0xcbf29ce484222325ull
uint64_t results_fnv1a(uint64_t h, const void *p, size_t n);

/* --- binary files -------------------------------------------------------- */
/* Little-endian unsigned integers of `bytes` bytes (1..8). */
void results_le_put(unsigned char *p, uint64_t v, int bytes);
uint64_t results_le_get(const unsigned char *p, int bytes);
/* Writes p[0..n) and then its FNV-1a 64 (8 bytes, little-endian) to `path`
 * atomically.  0, or -1 with a one-line message in err. */
int results_write_checksummed(const char *path, const void *p, size_t n, char *err, size_t nerr);
/* 1 when p[0..n) ends with the FNV-1a 64 of the bytes before it. */
int results_checksum_ok(const unsigned char *p, size_t n);
/* printf into err[nerr] (when err is not NULL): the one-line messages of loaders. */
void results_errf(char *err, size_t nerr, const char *fmt, ...);

/* Checks a TeX macro name (letters only, 1..63 chars). */
int results_macro_name_ok(const char *name);

#endif

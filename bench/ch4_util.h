/* ch4_util: what the Chapter 4 experiments share (flatten-exact, flatten-rt5,
 * flatten-linear, bench-flatten-search, depth-width). */
#ifndef DEEPCHEAP_CH4_UTIL_H
#define DEEPCHEAP_CH4_UTIL_H

#include <stdio.h>

#include "cellio.h"
#include "run.h"
#include "verdicts.h"

/* "yes" or "no", as the data files and verdicts print flags. */
const char *ch4_yesno(int b);

/* Reads a text record (cellio_put_printed) and appends it to the open data
 * file f.  0, or -1 (and the reader marked failed). */
int ch4_copy_text(FILE *f, cellio_in *in);

/* Opens n data files of the set: names[i] with columns cols[i] into f[i].
 * 0, or -1 (the files opened so far are dropped). */
int ch4_open_files(binio_file *f, run_set *set, const char *const *names, const char *const *cols, int n);
/* Closes them (commits them into the set) when ok, else drops them.  0, or -1. */
int ch4_close_files(binio_file *f, run_set *set, int n, int ok);

/* --- for the verdict functions ------------------------------------------------------- */
/* The indices of the space-separated column names `names` of t into c[].
 * 0, or -1 (d->err names the missing column). */
int ch4_cols(vd_data *d, const tsv_table *t, int *c, const char *names);
/* 1 when cell (row, col) reads "yes". */
int ch4_yes(const tsv_table *t, int row, int col);
/* 1 when cell (row, col) equals s. */
int ch4_is(const tsv_table *t, int row, int col, const char *s);
/* The value of row (quantity, case) of a summary table (columns quantity,
 * case, value); NAN when absent. */
double ch4_summary(const tsv_table *t, const char *quantity, const char *kase);
/* d->err = "what" and -1: a verdict's refusal of data it cannot read. */
int ch4_bad(vd_data *d, const char *what);

#endif

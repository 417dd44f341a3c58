/* ch4_util: what the Chapter 4 experiments share (flatten-exact, flatten-rt5,
 * flatten-linear, bench-flatten-search, depth-width). */
#ifndef DEEPCHEAP_CH4_UTIL_H
#define DEEPCHEAP_CH4_UTIL_H

#include <stdio.h>

#include "cellio.h"
#include "run.h"

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

#endif

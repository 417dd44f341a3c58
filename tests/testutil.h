/* Shared scaffolding for experiment-level tests. */
#ifndef DEEPCHEAP_TESTUTIL_H
#define DEEPCHEAP_TESTUTIL_H

#include <stddef.h>

/* Creates a fresh /tmp directory and makes it the results output directory. */
void testutil_outdir(char *dir, size_t n);
/* Removes it and restores the default output directory and one thread. */
void testutil_cleanup(const char *dir);
/* Asserts that <dir>/verdicts/ID.tsv holds the registry's expected verdict. */
void testutil_expect_verdict(const char *dir, const char *id);
/* The data rows of <dir>/data/NAME.tsv without the '#' provenance lines (free it). */
char *testutil_data_rows(const char *dir, const char *name);

#endif

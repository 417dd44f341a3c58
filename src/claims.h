/* claims: the registry of every claim in shared/CLAIMS.md and the ledger.
 *
 * Experiments compute a verdict and record it with claims_emit(), which
 * writes <outdir>/verdicts/ID.tsv atomically.  claims_ledger() compares each
 * recorded verdict with the registry's expected verdict. */
#ifndef DEEPCHEAP_CLAIMS_H
#define DEEPCHEAP_CLAIMS_H

#include <stddef.h>
#include <stdio.h>

#include "run.h"

typedef enum {
    CLAIMS_PENDING = 0,      /* chapter not built yet: no verdict expected */
    CLAIMS_REPRODUCED,
    CLAIMS_ERRATUM,          /* reproduced-with-erratum */
    CLAIMS_PARTLY,
    CLAIMS_NOT_REPRODUCED,
    CLAIMS_CITED,
    CLAIMS_NVERDICTS
} claims_verdict;

typedef struct {
    const char *id;          /* e.g. "LT-1"; BP-* are beyond-the-papers claims */
    int chapter;             /* 1..7 as in CLAIMS.md */
    const char *location;    /* paper and place */
    const char *statement;   /* one line */
    const char *check;       /* exact, float, certified, statistical, count, cited */
    claims_verdict expected;
} claims_entry;

const claims_entry *claims_registry(size_t *n);
const claims_entry *claims_find(const char *id);

const char *claims_verdict_name(claims_verdict v);
/* Returns 0 and sets *v when `s` names a verdict, -1 otherwise. */
int claims_verdict_parse(const char *s, claims_verdict *v);

/* Records a computed verdict in the result set.  `measured`, `paper`,
 * `note`: one line of plain text each (no tabs or newlines), may be "".
 * Returns 0 on success, -1 (with a message, the set marked failed) on an
 * unknown ID, a pending verdict or a write error. */
int claims_emit(run_set *set, const char *id, claims_verdict v, const char *measured, const char *paper,
                const char *note) __attribute__((warn_unused_result));

/* One ledger row, as read back from a verdict file. */
typedef struct {
    const claims_entry *claim;
    int present;             /* a verdict file exists and parsed */
    int corrupt;             /* a verdict file exists but is unreadable */
    claims_verdict verdict;  /* computed (PENDING when absent) */
    char measured[512], paper[256], note[512];
    int ok;                  /* computed verdict equals the expected one */
} claims_row;

/* Reads one verdict file from <dir>/verdicts. */
void claims_read(claims_row *row, const claims_entry *c, const char *dir);

/* Builds the ledger from <dir>/verdicts: prints TSV to `tsv`; when
 * tex_path is non-NULL also writes the LaTeX table and count macros there.
 * Returns the number of claims whose verdict differs from the expected one,
 * or -1 on a write error. */
int claims_ledger(FILE *tsv, const char *dir, const char *tex_path);

#endif

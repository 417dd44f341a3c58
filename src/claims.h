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
    CLAIMS_INCONCLUSIVE,     /* the experiment cannot decide: a positive control
                                failed, the models did not converge, too little
                                power, or the seeds disagree (the note says which) */
    CLAIMS_NVERDICTS
} claims_verdict;

typedef struct {
    const char *id;          /* e.g. "LT-1"; BP-* are beyond-the-papers claims */
    int chapter;             /* 1..7 as in CLAIMS.md */
    const char *location;    /* paper and place */
    const char *statement;   /* one line */
    const char *check;       /* exact, float, certified, statistical, count, cited */
    claims_verdict expected;
    /* At quick scale, where the seed-stability rule applies (statistical
     * claims): the verdict expected there when it differs (PENDING: same). */
    claims_verdict expected_quick;
} claims_entry;

/* The verdict a ledger of this scale ("quick" or "full") expects. */
claims_verdict claims_expected(const claims_entry *c, const char *scale);

const claims_entry *claims_registry(size_t *n);
const claims_entry *claims_find(const char *id);

/* A printed statement a claim checks (the errata): its exact words as
 * CLAIMS.md quotes them, where it stands, and the printed value the
 * verdict compares the computed one with (NAN when the statement has no
 * number; then `value_text` is what is compared). */
typedef struct {
    const char *id;
    const char *quote;       /* the printed statement */
    const char *where;       /* paper, equation, page or section */
    double value;            /* the printed number, or NAN */
    const char *value_text;  /* the printed formula or words */
} claims_printed;

/* The k-th printed statement registered for claim id (k = 0, 1, ...), or NULL. */
const claims_printed *claims_printed_get(const char *id, int k);
const claims_printed *claims_printed_list(size_t *n);

/* Pre-registration of a statistical claim, fixed before the runs: the
 * hypotheses, the test and alpha, the effect-size or equivalence margin,
 * the statistical unit, the repetitions, the positive control and the
 * convergence criterion.  `changed` says when a rule was changed after
 * seeing results (and what the first rule's verdict was), or is "". */
typedef struct {
    const char *id;
    const char *hypotheses, *test, *alpha, *margin, *unit, *reps, *control, *convergence, *changed;
} claims_prereg;

const claims_prereg *claims_prereg_find(const char *id);
const claims_prereg *claims_prereg_list(size_t *n);

/* A key measured value of a claim, with the tolerance (absolute, from its
 * error bar, certified bound or float error) CI regresses it within. */
typedef struct {
    char name[48];
    double value, tol;
} claims_value;
#define CLAIMS_MAXVALUES 16

const char *claims_verdict_name(claims_verdict v);
/* Returns 0 and sets *v when `s` names a verdict, -1 otherwise. */
int claims_verdict_parse(const char *s, claims_verdict *v);

/* Records a computed verdict in the result set.  `measured`, `paper`,
 * `note`: one line of plain text each (no tabs or newlines), may be "".
 * Returns 0 on success, -1 (with a message, the set marked failed) on an
 * unknown ID, a pending verdict or a write error. */
int claims_emit(run_set *set, const char *id, claims_verdict v, const char *measured, const char *paper,
                const char *note) __attribute__((warn_unused_result));
/* The same with the claim's key values (written after the verdict row as
 * "value\tNAME\tVALUE\tTOL" lines). */
int claims_emit_values(run_set *set, const char *id, claims_verdict v, const char *measured, const char *paper,
                       const char *note, const claims_value *values, int nvalues)
    __attribute__((warn_unused_result));

/* One ledger row, as read back from a verdict file. */
typedef struct {
    const claims_entry *claim;
    int present;             /* a verdict file exists and parsed */
    int corrupt;             /* a verdict file exists but is unreadable */
    claims_verdict verdict;  /* computed (PENDING when absent) */
    char measured[512], paper[256], note[512];
    int ok;                  /* computed verdict equals the expected one */
    char scale[16];          /* from the verdict file's provenance */
    char seed[32];
    char seeds[64];          /* "4/5 seeds agree" from stability.tsv, or "" */
    claims_verdict single;   /* the verdict of the one seed, when seeds[] is set */
    int nvalues;
    claims_value values[CLAIMS_MAXVALUES];
} claims_row;

/* Reads one verdict file from <dir>/verdicts. */
void claims_read(claims_row *row, const claims_entry *c, const char *dir);

/* Every registered claim's row from <dir>, the seed-stability rule applied
 * (calloc'd array of *n, free it); NULL when out of memory. */
claims_row *claims_rows(size_t *n, const char *dir);

/* Builds the ledger from <dir>/verdicts: prints TSV to `tsv`; when
 * tex_path is non-NULL also writes the LaTeX table and count macros there.
 * When <dir>/stability.tsv (`deepcheap stability`) holds a claim at the
 * verdicts' scale, its seed-stable verdict replaces the one seed's: the
 * verdict all seeds agree on, else inconclusive.
 * Returns the number of claims whose verdict differs from the expected one,
 * or -1 on a write error. */
int claims_ledger(FILE *tsv, const char *dir, const char *tex_path);

#endif

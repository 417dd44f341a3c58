/* verdicts: every claim's verdict as a pure function of data files.
 *
 * A verdict function reads the published data of its experiment (through
 * vd_table, from a directory: the staged set while the runner decides, or
 * OUT/data for `deepcheap verdict ID`, or a test's synthetic files), applies
 * the claim's pre-stated rule and fills a vd_result: the verdict, the
 * measured string, the paper's value, the note and the key values CI
 * regresses.  It draws no random number, reads no clock and no other
 * state, so a reviewer can recompute any verdict from the data alone and a
 * test can feed it synthetic data for every outcome its rule names.
 *
 * Registered in bench/verdicts.def: VERDICT("ID", fn).  The runner calls
 * the function of each claim its experiment decides after the reduce step
 * wrote the data, and emits the verdict; a reduce step never emits a claim
 * that has a verdict function. */
#ifndef DEEPCHEAP_VERDICTS_H
#define DEEPCHEAP_VERDICTS_H

#include "claims.h"
#include "tsv.h"

typedef struct {
    claims_verdict verdict;
    char measured[512], paper[256], note[512];
    int nvalues;
    claims_value values[CLAIMS_MAXVALUES];
} vd_result;

#define VD_MAXTABLES 32
typedef struct {
    char dir[4096];
    int n;
    struct {
        char file[128];
        tsv_table t;
    } tab[VD_MAXTABLES];
    /* Printed statements the function reads instead of the registry's
     * (tests perturb them); NULL: the registry. */
    const claims_printed *printed_override;
    size_t nprinted_override;
    char err[512]; /* why the last vd_table failed */
} vd_data;

void vd_data_init(vd_data *d, const char *datadir);
void vd_data_clear(vd_data *d);
/* The data file `file` ("gate_tree.tsv") of the directory, loaded once; NULL
 * (d->err says why) when missing or malformed. */
const tsv_table *vd_table(vd_data *d, const char *file);
/* Column `name` of t, or -1 after noting it in d->err. */
int vd_col(vd_data *d, const tsv_table *t, const char *name);
/* The k-th printed statement of claim id (override first, then the registry). */
const claims_printed *vd_printed(const vd_data *d, const char *id, int k);

/* printf into r->measured / r->paper / r->note. */
void vd_measured(vd_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vd_paper(vd_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vd_note(vd_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records a key value with its tolerance (absolute). */
void vd_value(vd_result *r, const char *name, double value, double tol);

/* A verdict function: 0 with r filled, or -1 when the data cannot be read
 * (d->err or a line on stderr says why). */
typedef int (*vd_fn)(vd_result *r, vd_data *d);

/* The function registered for claim id, or NULL. */
vd_fn verdicts_find(const char *id);
/* Runs claim id's function on the data in datadir.  0, or -1 after one
 * line on stderr (no function, unreadable data). */
int verdicts_decide(vd_result *r, const char *id, const char *datadir);

/* Every verdict function, declared once (bench/verdicts.def). */
#define VERDICT(id, fn) int fn(vd_result *r, vd_data *d);
#include "verdicts.def"
#undef VERDICT

#endif

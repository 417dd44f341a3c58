/* Chapter 6, Ising reference: the MM-1 validation at quick scale gives the
 * verdict registered for quick scale and the same data for 1 and 2 threads
 * (each (L, T) cell is an independent run keyed by its cell number), and
 * `deepcheap verdict` recomputes the same verdict from the data alone. */
#include "claims.h"
#include "experiments.h"
#include "testutil.h"
#include "verdicts.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

Test(ch6ising, validate_verdict_and_thread_independence, .timeout = 900)
{
    /* testutil_check_experiment compares with the full-scale expectation;
     * MM-1 expects inconclusive at quick scale (src/claims.c), so the
     * same checks are spelled out here against claims_expected(quick). */
    char dirs[2][256];
    char *rows[2][2];
    static const char *const files[2] = {"ising_validate", "ising_validate_control"};
    for (int t = 0; t < 2; t++) {
        testutil_outdir(dirs[t], sizeof dirs[t]);
        testutil_run(dirs[t], "ising-validate", 1, t + 1);
        for (int k = 0; k < 2; k++) rows[t][k] = testutil_data_rows(dirs[t], files[k]);
    }
    for (int k = 0; k < 2; k++) cr_assert(strcmp(rows[0][k], rows[1][k]) == 0, "%s differs between 1 and 2 threads", files[k]);
    cr_assert(strlen(rows[0][0]) > 200, "ising_validate: too little data");
    const claims_entry *c = claims_find("MM-1");
    claims_row row;
    claims_read(&row, c, dirs[0]);
    cr_assert(row.present && row.verdict == claims_expected(c, "quick"), "MM-1 at quick scale: computed %s, expected %s (%s)",
              claims_verdict_name(row.verdict), claims_verdict_name(claims_expected(c, "quick")), row.measured);
    char data[300];
    snprintf(data, sizeof data, "%s/data", dirs[0]);
    vd_result r;
    cr_assert(verdicts_decide(&r, "MM-1", data) == 0);
    cr_assert(r.verdict == row.verdict && strcmp(r.measured, row.measured) == 0,
              "MM-1 recomputed from the data: %s (%s) vs published %s (%s)", claims_verdict_name(r.verdict), r.measured,
              claims_verdict_name(row.verdict), row.measured);
    for (int t = 0; t < 2; t++) {
        testutil_cleanup(dirs[t]);
        for (int k = 0; k < 2; k++) free(rows[t][k]);
    }
}

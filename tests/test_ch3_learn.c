/* Chapter 3, coupling recovery at quick scale: the verdict the registry
 * expects at quick scale, the same data for 1 and 2 threads, and the
 * verdict recomputed from the published data files alone. */
#include "claims.h"
#include "experiments.h"
#include "testutil.h"
#include "verdicts.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Test(ch3learn, verdict_and_thread_independence, .timeout = 600)
{
    char dirs[2][256];
    char *rows[2], *fits[2];
    for (int t = 0; t < 2; t++) {
        testutil_outdir(dirs[t], sizeof dirs[t]);
        testutil_run(dirs[t], "coupling-recovery", 1, t + 1);
        rows[t] = testutil_data_rows(dirs[t], "coupling_recovery");
        fits[t] = testutil_data_rows(dirs[t], "coupling_chains");
    }
    cr_assert(strlen(rows[0]) > 200 && strlen(fits[0]) > 200, "coupling-recovery: too little data");
    cr_assert(strcmp(rows[0], rows[1]) == 0, "coupling_recovery differs between 1 and 2 threads");
    cr_assert(strcmp(fits[0], fits[1]) == 0, "coupling_chains differs between 1 and 2 threads");
    /* BP-LEARN's quick-scale verdict (the registry's expected_quick when set) */
    const claims_entry *c = claims_find("BP-LEARN");
    claims_row row;
    claims_read(&row, c, dirs[0]);
    cr_assert(row.present && row.verdict == claims_expected(c, "quick"), "BP-LEARN at quick scale: computed %s, expected %s (%s)",
              claims_verdict_name(row.verdict), claims_verdict_name(claims_expected(c, "quick")), row.measured);
    char data[300];
    snprintf(data, sizeof data, "%s/data", dirs[0]);
    vd_result r;
    cr_assert(verdicts_decide(&r, "BP-LEARN", data) == 0, "BP-LEARN: not decidable from the published data");
    cr_assert(r.verdict == row.verdict && strcmp(r.measured, row.measured) == 0,
              "BP-LEARN recomputed from data differs from the published verdict");
    for (int t = 0; t < 2; t++) {
        testutil_cleanup(dirs[t]);
        free(rows[t]);
        free(fits[t]);
    }
}

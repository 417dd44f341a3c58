/* Chapter 5 at quick scale: the hierarchy experiment yields the registered
 * verdicts for its five claims, and its data do not depend on the thread count. */
#include "claims.h"
#include "experiments.h"
#include "results.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

static const exp_ctx quick = {EXP_QUICK, 1, 1};

Test(ch5, hierarchy_verdicts, .init = setup, .fini = teardown, .timeout = 120)
{
    cr_assert(exp_hierarchy(&quick) == 0);
    const char *ids[5] = {"LT-16", "LT-17", "LT-18", "MS-1", "LT-19"};
    for (int i = 0; i < 5; i++) testutil_expect_verdict(dir, ids[i]);
}

Test(ch5, results_independent_of_thread_count, .init = setup, .fini = teardown, .timeout = 120)
{
    const char *names[3] = {"hierarchy_chains", "hierarchy_dpi", "hierarchy_decimation"};
    char *rows[3][2];
    for (int t = 0; t < 2; t++) {
        exp_ctx ctx = quick;
        ctx.threads = t + 1;
        omp_set_num_threads(t + 1);
        cr_assert(exp_hierarchy(&ctx) == 0);
        for (int k = 0; k < 3; k++) rows[k][t] = testutil_data_rows(dir, names[k]);
    }
    omp_set_num_threads(1);
    for (int k = 0; k < 3; k++) {
        cr_assert(strlen(rows[k][0]) > 100, "%s: empty", names[k]);
        cr_assert(strcmp(rows[k][0], rows[k][1]) == 0, "%s differs between 1 and 2 threads", names[k]);
        free(rows[k][0]);
        free(rows[k][1]);
    }
}

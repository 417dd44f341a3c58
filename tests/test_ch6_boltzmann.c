/* Chapter 6, Boltzmann machines: the exact-KL experiment at quick scale gives
 * the registered verdict and the same data for 1 and 2 threads. */
#include "experiments.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

Test(ch6boltzmann, rbm_kl_verdict_and_thread_independence, .timeout = 600)
{
    char dirs[2][256];
    char *rows[2];
    for (int t = 0; t < 2; t++) {
        testutil_outdir(dirs[t], sizeof dirs[t]);
        omp_set_num_threads(t + 1);
        exp_ctx ctx = {EXP_QUICK, 1, t + 1};
        cr_assert(exp_rbm_kl(&ctx) == 0);
        rows[t] = testutil_data_rows(dirs[t], "rbm_kl");
    }
    cr_assert(strlen(rows[0]) > 200);
    cr_assert(strcmp(rows[0], rows[1]) == 0, "rbm-kl data differ between 1 and 2 threads");
    testutil_expect_verdict(dirs[0], "BP-KL");
    for (int t = 0; t < 2; t++) {
        testutil_cleanup(dirs[t]);
        free(rows[t]);
    }
}

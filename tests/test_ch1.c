/* Chapter 1 at quick scale: each experiment yields its registered verdict,
 * and its data do not depend on the thread count. */
#include "claims.h"
#include "experiments.h"
#include "results.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }
#define expect_verdict(id) testutil_expect_verdict(dir, id)
#define data_rows(name) testutil_data_rows(dir, name)

Test(ch1, lt1_posterior_verdict, .init = setup, .fini = teardown)
{
    testutil_run(dir, "softmax-posterior", 1, 1);
    expect_verdict("LT-1");
}

Test(ch1, lt2_training_verdict, .init = setup, .fini = teardown, .timeout = 120)
{
    testutil_run(dir, "softmax-training", 1, 1);
    expect_verdict("LT-2");
}

Test(ch1, lt3_moebius_verdict, .init = setup, .fini = teardown, .timeout = 120)
{
    testutil_run(dir, "moebius-network", 1, 1);
    expect_verdict("LT-3");
}

Test(ch1, results_independent_of_thread_count, .init = setup, .fini = teardown, .timeout = 300)
{
    const char *names[] = {"softmax_posterior", "softmax_training"};
    char *rows[2][2];
    for (int t = 0; t < 2; t++) {
        testutil_run(dir, "softmax-posterior", 1, t + 1);
        testutil_run(dir, "softmax-training", 1, t + 1);
        for (int k = 0; k < 2; k++) rows[k][t] = data_rows(names[k]);
    }
    for (int k = 0; k < 2; k++) {
        cr_assert(strlen(rows[k][0]) > 100, "%s: empty", names[k]);
        cr_assert(strcmp(rows[k][0], rows[k][1]) == 0, "%s differs between 1 and 2 threads", names[k]);
        free(rows[k][0]);
        free(rows[k][1]);
    }
}

Test(ch1, seed_changes_the_sample, .init = setup, .fini = teardown, .timeout = 120)
{
    testutil_run(dir, "softmax-posterior", 1, 1);
    char *ra = data_rows("softmax_posterior");
    testutil_run(dir, "softmax-posterior", 2, 1);
    char *rb = data_rows("softmax_posterior");
    cr_assert(strcmp(ra, rb) != 0, "seed has no effect");
    free(ra);
    free(rb);
}

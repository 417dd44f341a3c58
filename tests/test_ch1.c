/* Chapter 1 at quick scale: each experiment yields its registered verdict
 * and the same data for 1 and 2 threads; softmax-posterior run as three
 * merged shards equals the whole run; the seed changes the sample. */
#include "experiments.h"
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>

Test(ch1, lt1_posterior_verdict_and_thread_independence, .timeout = 300)
{
    testutil_check_experiment("softmax-posterior", "softmax_posterior", "LT-1");
}

Test(ch1, lt2_training_verdict_and_thread_independence, .timeout = 600)
{
    testutil_check_experiment("softmax-training", "softmax_training", "LT-2");
}

Test(ch1, lt3_moebius_verdict_and_thread_independence, .timeout = 600)
{
    testutil_check_experiment("moebius-network", "moebius_network", "LT-3");
}

Test(ch1, lt1_posterior_shards_merge_to_the_whole_run, .timeout = 300)
{
    testutil_check_shards("softmax-posterior", 3);
}

static char dir[256], dir2[256];

static void setup(void) { testutil_outdir(dir, sizeof dir), testutil_outdir(dir2, sizeof dir2); }
static void teardown(void) { testutil_cleanup(dir), testutil_cleanup(dir2); }

/* Two directories: two runs of one experiment in one process within the
 * same second get the same run id (src/run.c: experiment, time, pid), so the
 * second would stage into the first's published set. */
Test(ch1, seed_changes_the_sample, .init = setup, .fini = teardown, .timeout = 120)
{
    testutil_run(dir, "softmax-posterior", 1, 1);
    char *ra = testutil_data_rows(dir, "softmax_posterior");
    testutil_run(dir2, "softmax-posterior", 2, 1);
    char *rb = testutil_data_rows(dir2, "softmax_posterior");
    cr_assert(ne(str, ra, rb), "seed has no effect");
    free(ra);
    free(rb);
}

/* Chapter 2 at quick scale: the gate experiment yields the registered
 * verdicts for its six claims, its data do not depend on the thread count,
 * and three merged shards give the same set as one whole run. */
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

Test(ch2, gate_verdicts, .init = setup, .fini = teardown, .timeout = 300)
{
    testutil_run(dir, "gate", 1, 1);
    const char *ids[6] = {"LT-4", "LT-5", "LT-6", "RT-1", "LT-7", "BP-RELU"};
    for (int i = 0; i < 6; i++) testutil_expect_verdict(dir, ids[i]);
}

/* the certified sweep (one cell per activation and lambda) at 1 and 2 threads */
Test(ch2, gate_experiment, .timeout = 300)
{
    testutil_check_experiment("gate", "gate_sup_lambda", "LT-4");
}

Test(ch2, gate_shards_merge_to_whole_run, .timeout = 300)
{
    testutil_check_shards("gate", 3);
}

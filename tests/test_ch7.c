/* Chapter 7 at quick scale: fu-states (RO-1, RO-2) and vae-fidelity (RO-3)
 * yield the registered verdicts, their data do not depend on the thread
 * count, and each run as three shards merges to the whole run. */
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

static char dir[256];

static void setup(void) { testutil_outdir(dir, sizeof dir); }
static void teardown(void) { testutil_cleanup(dir); }

Test(ch7, fu_states_ro1, .timeout = 120) { testutil_check_experiment("fu-states", "fu_stats", "RO-1"); }

Test(ch7, fu_states_ro2, .init = setup, .fini = teardown, .timeout = 120)
{
    testutil_run(dir, "fu-states", 1, 1);
    testutil_expect_verdict(dir, "RO-2");
}

Test(ch7, fu_states_shards, .timeout = 120) { testutil_check_shards("fu-states", 3); }

/* about 70 s of CPU at quick scale (300 VAEs, each trying 3 learning rates),
 * twice: once whole on 2 threads, once as 3 merged 1-thread shards */
Test(ch7, vae_fidelity_ro3, .timeout = 900) { testutil_check_shards_verdict("vae-fidelity", 3, "RO-3"); }

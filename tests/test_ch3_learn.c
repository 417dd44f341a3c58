/* Chapter 3, coupling recovery at quick scale: the registered verdict, and
 * the same data for 1 and 2 threads. */
#include "experiments.h"
#include "testutil.h"

#include <criterion/criterion.h>

Test(ch3learn, verdict_and_thread_independence, .timeout = 600)
{
    testutil_check_experiment("coupling-recovery", "coupling_recovery", "BP-LEARN");
}

/* Chapter 6, Ising reference: the MM-1 validation at quick scale gives the
 * registered verdict and the same data for 1 and 2 threads (each (L, T)
 * cell is an independent run keyed by its cell number). */
#include "experiments.h"
#include "testutil.h"

#include <criterion/criterion.h>

Test(ch6ising, validate_verdict_and_thread_independence, .timeout = 900)
{
    testutil_check_experiment("ising-validate", "ising_validate", "MM-1");
}

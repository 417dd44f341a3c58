/* Chapter 6, Boltzmann machines: the exact-KL experiment at quick scale gives
 * the registered verdict and the same data for 1 and 2 threads. */
#include "experiments.h"
#include "testutil.h"

#include <criterion/criterion.h>

Test(ch6boltzmann, rbm_kl_verdict_and_thread_independence, .timeout = 600)
{
    testutil_check_experiment("rbm-kl", "rbm_kl", "BP-KL");
}

/* Chapter 6, Boltzmann machines: the exact-KL experiment at quick scale gives
 * the registered verdict and the same data for 1 and 2 threads, and the same
 * result whole or as merged shards. */
#include "experiments.h"
#include "testutil.h"

#include <criterion/criterion.h>

Test(ch6boltzmann, rbm_kl_verdict_and_thread_independence, .timeout = 600)
{
    testutil_check_experiment("rbm-kl", "rbm_kl", "BP-KL");
}

/* rbm-kl has one cell per trained model: a whole run and three merged
 * shards give the same data and verdict, byte for byte. */
Test(ch6boltzmann, rbm_kl_shards_merge_to_the_whole_run, .timeout = 600)
{
    testutil_check_shards("rbm-kl", 3);
}

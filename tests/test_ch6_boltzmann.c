/* Chapter 6, Boltzmann machines: the exact-KL experiment at quick scale gives
 * the registered verdict and the same data for 1 and 2 threads, and the same
 * result whole or as merged shards. */
#include "experiments.h"
#include "testutil.h"

#include <criterion/criterion.h>

/* rbm-kl has one cell per trained model (about a minute of CPU at quick
 * scale): a whole run on 2 threads and three merged shards on 1 thread each
 * give the same data and verdict, byte for byte, and the registered verdict. */
Test(ch6boltzmann, rbm_kl_verdict_threads_and_shards, .timeout = 900)
{
    testutil_check_shards_verdict("rbm-kl", 3, "BP-KL");
}

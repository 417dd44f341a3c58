/* Fuzz target: the RBM/DBN/DBM/DRBN model file loader (src/rbm.c). */
#include "fuzz_util.h"
#include "rbm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    rbm_deep d;
    char err[512];
    if (rbm_load(&d, fuzz_file(data, n), err, sizeof err) == 0) rbm_deep_clear(&d);
    return 0;
}

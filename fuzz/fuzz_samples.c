/* Fuzz target: the Ising sample file loader (src/ising.c). */
#include "fuzz_util.h"
#include "ising.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    ising_samples s;
    char err[512];
    if (ising_samples_load(&s, fuzz_file(data, n), err, sizeof err) == 0) ising_samples_clear(&s);
    return 0;
}

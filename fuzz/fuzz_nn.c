/* Fuzz target: the network weights loader (src/nn.c). */
#include "fuzz_util.h"
#include "nn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    nn_net net;
    char err[512];
    if (nn_load(&net, fuzz_file(data, n), 4, err, sizeof err) == 0) nn_net_clear(&net);
    return 0;
}

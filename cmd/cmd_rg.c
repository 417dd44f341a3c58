/* `deepcheap rg block|decimate`: Ch. 5 query commands. */
#include "commands.h"
#include "rgflow.h"

#include <math.h>
#include <stdio.h>

int cmd_rg_block(const cmd_val *v)
{
    int b = (int)v[0].i, d = (int)v[1].i;
    double y[3] = {v[2].d, v[3].d, v[4].d}, o[3], rad[3];
    rg_block_couplings_d(o, rad, y, b, d);
    printf("b\td\ty0\ty1\ty2\ty0p\ty1p\ty2p\tradius_max\tprinted_y0p\tprinted_y1p\tprinted_y2p\n");
    printf("%d\t%d\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.1e\t%.17g\t%.17g\t%.17g\n", b, d, y[0], y[1], y[2], o[0], o[1],
           o[2], fmax(rad[0], fmax(rad[1], rad[2])), y[0] * b * b, y[1], y[2] / (b * b));
    return 0;
}

int cmd_rg_decimate(const cmd_val *v)
{
    unsigned long p = (unsigned long)v[0].i, q = (unsigned long)v[1].i;
    int n = (int)v[2].i;
    if (p >= q) {
        fprintf(stderr, "deepcheap rg decimate: --p %lu must be smaller than --q %lu (tanh J < 1)\n", p, q);
        return 2;
    }
    long bad = rg_decimate_check(n, n % 2 == 0, p, q, p * p, q * q);
    long wrong = p > 0 ? rg_decimate_check(n, n % 2 == 0, p, q, p, q) : 0;
    printf("n\tboundary\ttanhJ\tJ\tJprime\tmismatch_tanh2\tmismatch_if_unchanged\n");
    printf("%d\t%s\t%lu/%lu\t%.15g\t%.15g\t%ld\t%ld\n", n, n % 2 == 0 ? "ring" : "open", p, q, atanh((double)p / q),
           atanh((double)p * p / ((double)q * q)), bad, wrong);
    return 0;
}

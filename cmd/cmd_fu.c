/* `deepcheap fu stats`: statistics of the exact Fefferman-Umans distribution. */
#include "commands.h"
#include "fu.h"

#include <stdio.h>
#include <stdlib.h>

int cmd_fu_stats(const cmd_val *v)
{
    int n = (int)v[0].i, L = (int)v[1].i;
    if (fu_supported(n, L) != 0) {
        fprintf(stderr, "deepcheap fu stats: n = %d, L = %d unsupported (L a power of two <= 16, at most 24 qubits)\n", n, L);
        return 2;
    }
    size_t N = fu_outcomes(n, L);
    double *p = malloc(N * sizeof *p);
    if (!p) return 1;
    fu_stats s;
    if (L <= 4) { /* exact: the integer |perm|^2; the sum is the exact ratio of two integers */
        int64_t total;
        if (fu_distribution_exact(p, &total, n, L) != 0) { free(p); return 1; }
        fu_stats_of(&s, p, N);
        double z = (double)N;
        for (int k = 2; k <= n; k++) z *= k;
        s.sum = (double)total / z;
    } else {
        if (fu_distribution(p, n, L) != 0) { free(p); return 1; }
        fu_stats_of(&s, p, N);
    }
    printf("n\tL\tqubits\tsum_p\tnonzero\tmax_p\tentropy_bits\n");
    printf("%d\t%d\t%d\t%.15f\t%zu\t%.6e\t%.6f\n", n, L, fu_bits(n, L), s.sum, s.nonzero, s.max, s.entropy_bits);
    free(p);
    return 0;
}

/* `deepcheap flatten shallow-min|search`: Ch. 4 query commands. */
#include "commands.h"
#include "flatnet.h"
#include "flatten_proofs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int ceil_log2(int r)
{
    int l = 0;
    while ((1 << l) < r) l++;
    return l;
}

int cmd_flatten_shallow_min(const cmd_val *v)
{
    int n = v[0].nlist, r[FLATTEN_MAXVAR], d = 0;
    long m1 = 1;
    if (n > 8) {
        fprintf(stderr, "deepcheap flatten shallow-min: --exponents: %d variables; at most 8\n", n);
        return 2;
    }
    for (int i = 0; i < n; i++) {
        r[i] = (int)v[0].list[i];
        d += r[i];
        m1 *= r[i] + 1;
    }
    if (d > 10 || m1 > 1024) {
        fprintf(stderr, "deepcheap flatten shallow-min: --exponents: degree %d and %ld neurons; "
                        "at most degree 10 and 1024 neurons\n", d, m1);
        return 2;
    }
    flatten_act a;
    flatten_act_init(&a, FLATTEN_GENERIC, d, 0);
    int exact = flatten_check_exact(FLATTEN_BUILD_SHALLOW_MONOMIAL, &a, n, r, NULL);
    long deep_neurons;
    flatten_check_exact(FLATTEN_BUILD_DEEP_MONOMIAL, &a, n, r, &deep_neurons);
    long rank = flatten_rank_lemma_box(n, r);
    long bound = 0;
    for (int i = 0; i < n; i++) bound += 7 * ceil_log2(r[i]) + 4;
    printf("exponents\tm1\tdegree\tconstruction_exact\trank\tcertified\tdeep_neurons\tdeep_bound\n");
    for (int i = 0; i < n; i++) printf("%s%d", i ? "," : "", r[i]);
    printf("\t%ld\t%d\t%s\t%ld\t%s\t%ld\t%ld\n", m1, d, exact ? "yes" : "no", rank,
           exact && rank == m1 ? "yes" : "no", deep_neurons, bound);
    flatten_act_clear(&a);
    return 0;
}

/* log10 of sum_{m<=mmax} C(N, m): the naive size of a search. */
static double log10_subsets(int N, int mmax)
{
    double s = 0;
    for (int m = 1; m <= mmax && m <= N; m++) s += exp(lgamma(N + 1.0) - lgamma(m + 1.0) - lgamma(N - m + 1.0));
    return log10(s);
}

int cmd_flatten_search(const cmd_val *v)
{
    int n = (int)v[0].i, L = (int)v[1].i;
    int N = 1;
    for (int i = 0; i < n; i++) N *= 2 * L + 1;
    int mmax = 1 << n;
    if (log10_subsets(N, mmax) > 8.5) {
        fprintf(stderr, "deepcheap flatten search: --n %d --lattice %d: about 10^%.1f candidate nets; "
                        "at most 10^8.5 (try n <= 3 with lattice 1, or n = 2)\n", n, L, log10_subsets(N, mmax));
        return 2;
    }
    int r[FLATTEN_MAXVAR];
    for (int i = 0; i < n; i++) r[i] = 1;
    flatten_poly target;
    flatten_poly_init(&target, n, n);
    flatten_poly_monomial(&target, r);
    flatten_search_problem pr;
    if (flatten_search_init(&pr, n, n, FLATTEN_MODE_GENERIC, L, &target) != 0) {
        fprintf(stderr, "deepcheap flatten search: --n %d --lattice %d: unsupported size\n", n, L);
        flatten_poly_clear(&target);
        return 2;
    }
    flatten_search_result res;
    flatten_search_run(&res, &pr, mmax);
    printf("n\tlattice\tmin_neurons\tnets_examined\tseconds\tnets_per_s\tbound_2n\tcertified\tconfirmed\n");
    printf("%d\t%d\t%d\t%llu\t%.3f\t%.4g\t%d\t%s\t%s\n", n, L, res.min, (unsigned long long)res.nets,
           res.seconds, res.seconds > 0 ? (double)res.nets / res.seconds : 0.0, mmax,
           res.certified ? "yes" : "no", res.confirmed ? "yes" : "no");
    flatten_search_clear(&pr);
    flatten_poly_clear(&target);
    return 0;
}

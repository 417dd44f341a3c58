/* fu: Ryser against brute-force permanents, the exact route, normalization,
 * the comparison classes, and the alias sampler. */
#include "fu.h"
#include "rng.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

/* perm by the definition: sum over all n! permutations (Heap's algorithm). */
static double complex perm_brute(const double complex *a, int n)
{
    int s[FU_MAXN], c[FU_MAXN] = {0};
    for (int i = 0; i < n; i++) s[i] = i;
    double complex total = 0;
    for (int i = 0;;) {
        double complex prod = 1;
        for (int r = 0; r < n; r++) prod *= a[r * n + s[r]];
        total += prod;
        while (i < n && c[i] >= i) c[i++] = 0;
        if (i >= n) break;
        int j = i % 2 ? c[i] : 0, t = s[j];
        s[j] = s[i]; s[i] = t;
        c[i]++;
        i = 0;
    }
    return total;
}

Test(fu, ryser_equals_definition)
{
    rng_stream r;
    rng_init(&r, 41, 0, 0);
    for (int n = 1; n <= 4; n++)
        for (int t = 0; t < 200; t++) {
            double complex a[16];
            for (int k = 0; k < n * n; k++) a[k] = rng_normal(&r) + I * rng_normal(&r);
            double complex x = fu_perm_ryser(a, n), y = perm_brute(a, n);
            cr_assert(cabs(x - y) < 1e-12 * (1 + cabs(y)), "n=%d case %d", n, t);
        }
    /* the all-ones matrix: perm = n! */
    double complex ones[16];
    for (int k = 0; k < 16; k++) ones[k] = 1;
    cr_assert(cabs(fu_perm_ryser(ones, 4) - 24.0) < 1e-12);
}

Test(fu, exact_route_equals_ryser)
{
    const int cases[4][2] = {{2, 4}, {3, 2}, {3, 4}, {2, 8}};
    rng_stream r;
    rng_init(&r, 42, 0, 0);
    for (int c = 0; c < 4; c++) {
        int n = cases[c][0], L = cases[c][1];
        for (int t = 0; t < 300; t++) {
            int y[16];
            double complex a[16];
            for (int k = 0; k < n * n; k++) {
                y[k] = (int)rng_below(&r, (uint64_t)L);
                a[k] = cexp(2 * M_PI * I * y[k] / L);
            }
            int64_t cf[8];
            int nz = fu_perm_exact(cf, y, n, L);
            double complex e = 0;
            for (int k = 0; k < L / 2; k++) e += (double)cf[k] * cexp(2 * M_PI * I * k / L);
            double complex x = fu_perm_ryser(a, n);
            cr_assert(cabs(e - x) < 1e-12, "n=%d L=%d case %d", n, L, t);
            cr_assert(nz == (cabs(x) > 1e-9), "zero test n=%d L=%d case %d", n, L, t);
        }
    }
}

Test(fu, distributions_are_normalized)
{
    const int cases[4][2] = {{1, 2}, {2, 4}, {3, 2}, {4, 2}};
    for (int c = 0; c < 4; c++) {
        int n = cases[c][0], L = cases[c][1];
        size_t N = fu_outcomes(n, L);
        double *p = malloc(N * sizeof *p);
        cr_assert(fu_distribution(p, n, L) == 0);
        fu_stats s;
        fu_stats_of(&s, p, N);
        cr_assert(fabs(s.sum - 1.0) <= N * DBL_EPSILON, "n=%d L=%d sum %.17g", n, L, s.sum);
        free(p);
    }
    /* n = 1: a single entry, perm = omega^y, |perm|^2 = 1: uniform over L outcomes */
    double p1[4];
    fu_distribution(p1, 1, 4);
    for (int x = 0; x < 4; x++) cr_assert(fabs(p1[x] - 0.25) < 1e-15);
}

Test(fu, supported_sizes)
{
    cr_assert(fu_supported(3, 4) == 0 && fu_supported(4, 2) == 0 && fu_supported(2, 16) == 0);
    cr_assert(fu_supported(3, 3) != 0 && fu_supported(4, 4) != 0 && fu_supported(0, 2) != 0);
    cr_assert(fu_bits(3, 4) == 18 && fu_outcomes(3, 4) == 262144);
    int y[9];
    fu_digits(y, 0x3FFFF, 3, 4);
    for (int k = 0; k < 9; k++) cr_assert(y[k] == 3);
    fu_digits(y, (size_t)1 << 16, 3, 4); /* y_11 = 1: the two most significant bits 01 */
    cr_assert(y[0] == 1 && y[1] == 0);
}

Test(fu, comparison_classes)
{
    int bits = 12;
    size_t N = (size_t)1 << bits;
    double *p = malloc(N * sizeof *p), u[12];
    fu_haar(p, bits, 1, 1);
    fu_stats s;
    fu_stats_of(&s, p, N);
    cr_assert(fabs(s.sum - 1.0) < 1e-12 && s.nonzero == N);
    fu_product(p, u, bits, 1, 2);
    /* marginal of qubit 0 (most significant bit) equals u_0 */
    double m = 0.0;
    for (size_t x = N / 2; x < N; x++) m += p[x];
    cr_assert(fabs(m - u[0]) < 1e-12, "%g vs %g", m, u[0]);
    fu_stats_of(&s, p, N);
    cr_assert(fabs(s.sum - 1.0) < 1e-12);
    free(p);
}

Test(fu, alias_sampler_matches_distribution)
{
    /* 8 outcomes incl. a zero: chi^2 (6 dof over the nonzero ones) < 40 fails with p < 1e-6 */
    double p[8] = {0.3, 0.0, 0.05, 0.15, 0.2, 0.1, 0.12, 0.08};
    fu_alias a;
    cr_assert(fu_alias_init(&a, p, 8) == 0);
    rng_stream r;
    rng_init(&r, 43, 0, 0);
    long cnt[8] = {0};
    const int N = 400000;
    for (int i = 0; i < N; i++) cnt[fu_alias_draw(&a, &r)]++;
    cr_assert(cnt[1] == 0, "drew an impossible outcome");
    double chi2 = 0.0;
    for (int k = 0; k < 8; k++)
        if (p[k] > 0) chi2 += (cnt[k] - N * p[k]) * (cnt[k] - N * p[k]) / (N * p[k]);
    cr_assert(chi2 < 40.0, "chi2 = %g", chi2);
    fu_alias_clear(&a);
}

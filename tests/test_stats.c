/* stats: the Mann-Whitney p-value against the exact permutation
 * distribution of U; the median against a direct definition. */
#include "rng.h"
#include "stats.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>

/* exact P(U >= u0) under H0 for na = nb = 8 without ties: enumerate which 8
 * of the 16 ranks belong to a (C(16,8) = 12870 subsets) */
static double exact_tail(double u0)
{
    long hit = 0, tot = 0;
    for (unsigned m = 0; m < (1u << 16); m++) {
        if (__builtin_popcount(m) != 8) continue;
        double u = 0; // pairs (a below b): for each a-rank, the b's above it
        for (int r = 0; r < 16; r++)
            if (m >> r & 1)
                for (int s = r + 1; s < 16; s++) u += !(m >> s & 1);
        hit += u >= u0;
        tot++;
    }
    return (double)hit / (double)tot;
}

Test(stats, mann_whitney_normal_approximation_tracks_exact_tail)
{
    rng_stream r;
    rng_init(&r, 3, 0, 0);
    double shifts[] = {-1.0, 0.0, 0.5, 1.0, 2.0};
    for (int k = 0; k < 5; k++) {
        double a[8], b[8], u = 0;
        for (int i = 0; i < 8; i++) { a[i] = rng_normal(&r); b[i] = rng_normal(&r) + shifts[k]; }
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++) u += a[i] < b[j];
        double p = stats_mann_whitney_p(a, 8, b, 8), e = exact_tail(u);
        // the continuity-uncorrected normal tail is within 0.04 of the exact one at n = 8
        cr_assert(fabs(p - e) < 0.04, "shift %g: U %g normal %g exact %g", shifts[k], u, p, e);
    }
}

Test(stats, mann_whitney_direction_and_symmetry)
{
    double a[10], b[10];
    for (int i = 0; i < 10; i++) { a[i] = i; b[i] = i + 100; }
    double p = stats_mann_whitney_p(a, 10, b, 10), q = stats_mann_whitney_p(b, 10, a, 10);
    cr_assert(p < 1e-3 && q > 1 - 1e-3, "p %g q %g", p, q);
    cr_assert(fabs(p + q - 1) < 1e-12);
    cr_assert(fabs(stats_mann_whitney_p(a, 10, a, 10) - 0.5) < 1e-12);
}

Test(stats, median_odd_even_empty)
{
    double x[] = {5, 1, 4, 2, 3}, y[] = {4, 1, 3, 2};
    cr_assert(stats_median(x, 5) == 3);
    cr_assert(stats_median(y, 4) == 2.5);
    cr_assert(isnan(stats_median(y, 0)));
}

/* stats: the exact Mann-Whitney p-value computed two independent ways
 * (dynamic programming vs enumerating every assignment; vs R's pwilcox
 * without ties), against the published critical values, and the tails and
 * quantiles against printed tables. */
#include "rng.h"
#include "stats.h"

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>

/* P(U_a >= U_obs) by enumerating every choice of which na of the pooled
 * values are the a's (n <= 20), with ties counted 1/2 as in U. */
static double brute_p(const double *a, int na, const double *b, int nb)
{
    int n = na + nb;
    double v[20];
    for (int i = 0; i < na; i++) v[i] = a[i];
    for (int j = 0; j < nb; j++) v[na + j] = b[j];
    double u_obs = 0;
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++) u_obs += a[i] < b[j] ? 1.0 : a[i] == b[j] ? 0.5 : 0.0;
    long hit = 0, tot = 0;
    for (unsigned m = 0; m < (1u << n); m++) {
        if (__builtin_popcount(m) != na) continue;
        double u = 0;
        for (int i = 0; i < n; i++)
            if (m >> i & 1)
                for (int j = 0; j < n; j++)
                    if (!(m >> j & 1)) u += v[i] < v[j] ? 1.0 : v[i] == v[j] ? 0.5 : 0.0;
        hit += u >= u_obs - 1e-9;
        tot++;
    }
    return (double)hit / (double)tot;
}

/* Random samples biased to the corners: sizes 1..8, heavy ties (values on
 * a coarse grid, sometimes a single value), shifted groups.  The parameter
 * (case number, sizes) is in the message. */
Test(stats, mann_whitney_exact_equals_enumeration_with_ties)
{
    rng_stream r;
    rng_init(&r, 7, 0, 0);
    for (int t = 0; t < 300; t++) {
        int na = 1 + (int)rng_below(&r, 8), nb = 1 + (int)rng_below(&r, 8);
        int grid = t % 5 == 0 ? 1 : 1 + (int)rng_below(&r, 6); /* 1: every value tied */
        double shift = (double)rng_below(&r, 3) - 1.0, a[8], b[8];
        for (int i = 0; i < na; i++) a[i] = (double)rng_below(&r, (uint64_t)grid);
        for (int j = 0; j < nb; j++) b[j] = (double)rng_below(&r, (uint64_t)grid) + (grid > 1 ? shift : 0.0);
        double p = stats_mann_whitney_p(a, na, b, nb), e = brute_p(a, na, b, nb);
        cr_assert(fabs(p - e) < 1e-12, "case %d (na %d, nb %d, grid %d): DP %.15g, enumeration %.15g", t, na, nb, grid,
                  p, e);
    }
}

/* Without ties, P(W <= w) is R's pwilcox of the Mann-Whitney count. */
Test(stats, mann_whitney_exact_equals_pwilcox_without_ties)
{
    rng_stream r;
    rng_init(&r, 8, 0, 0);
    for (int t = 0; t < 60; t++) {
        int na = 1 + (int)rng_below(&r, 30), nb = 1 + (int)rng_below(&r, 30);
        double a[30], b[30], shift = rng_uniform(&r) * 2 - 1;
        for (int i = 0; i < na; i++) a[i] = rng_normal(&r);
        for (int j = 0; j < nb; j++) b[j] = rng_normal(&r) + shift;
        double ub = 0; /* pairs with b below a: small when a is smaller */
        for (int i = 0; i < na; i++)
            for (int j = 0; j < nb; j++) ub += b[j] < a[i];
        double want = pwilcox(ub, na, nb, 1, 0);
        double p = stats_mann_whitney_p(a, na, b, nb);
        cr_assert(fabs(p - want) < 1e-10 * fmax(1, want), "case %d (na %d, nb %d): %.15g vs pwilcox %.15g", t, na, nb,
                  p, want);
    }
}

/* One-sided 5% critical values of U for na = nb = n (standard tables, e.g.
 * Mann and Whitney 1947; Siegel, Nonparametric Statistics, Table K):
 * P(U <= c) <= 0.05 < P(U <= c + 1). */
Test(stats, mann_whitney_published_critical_values)
{
    static const int n[] = {5, 6, 7, 8, 9, 10}, crit[] = {4, 7, 11, 15, 21, 27};
    for (int k = 0; k < 6; k++) {
        double a[10], b[10];
        for (int extra = 0; extra <= 1; extra++) {
            /* labels A...AB...B; each swap of an adjacent "A B" into "B A" adds one pair
             * with b below a, so c swaps give U = c; values are the positions */
            int c = crit[k] + extra, m = 2 * n[k];
            char lab[20];
            for (int i = 0; i < m; i++) lab[i] = i < n[k] ? 'A' : 'B';
            for (int sw = 0; sw < c; sw++)
                for (int i = m - 2; i >= 0; i--)
                    if (lab[i] == 'A' && lab[i + 1] == 'B') {
                        lab[i] = 'B', lab[i + 1] = 'A';
                        break;
                    }
            int ia = 0, ib = 0;
            for (int i = 0; i < m; i++) {
                if (lab[i] == 'A') a[ia++] = i;
                else b[ib++] = i;
            }
            double ub = 0;
            for (int i = 0; i < n[k]; i++)
                for (int j = 0; j < n[k]; j++) ub += b[j] < a[i];
            cr_assert(ub == c, "n %d: built U %g, wanted %d", n[k], ub, c);
            double p = stats_mann_whitney_p(a, n[k], b, n[k]);
            if (extra == 0) cr_assert(p <= 0.05, "n %d: P(U <= %d) = %g > 0.05", n[k], c, p);
            else cr_assert(p > 0.05, "n %d: P(U <= %d) = %g <= 0.05", n[k], c, p);
        }
    }
}

/* Above the exact range the normal approximation with the tie and
 * continuity corrections; near the boundary it tracks the exact value. */
Test(stats, mann_whitney_normal_tracks_exact)
{
    rng_stream r;
    rng_init(&r, 9, 0, 0);
    for (int t = 0; t < 20; t++) {
        double a[40], b[40], shift = 0.1 * t - 1;
        for (int i = 0; i < 40; i++) a[i] = round(4 * rng_normal(&r)), b[i] = round(4 * (rng_normal(&r) + shift));
        double e = stats_mann_whitney_p(a, 40, b, 40), q = stats_mann_whitney_p_normal(a, 40, b, 40);
        cr_assert(fabs(e - q) < 0.01, "case %d: exact %g normal %g", t, e, q);
    }
    double big[150], other[150];
    for (int i = 0; i < 150; i++) big[i] = i, other[i] = i + 10;
    cr_assert(stats_mann_whitney_p(big, 150, other, 150) == stats_mann_whitney_p_normal(big, 150, other, 150));
}

Test(stats, mann_whitney_direction_and_degenerate)
{
    double a[10], b[10];
    for (int i = 0; i < 10; i++) { a[i] = i; b[i] = i + 100; }
    double p = stats_mann_whitney_p(a, 10, b, 10), q = stats_mann_whitney_p(b, 10, a, 10);
    /* the a's are all below: P = 1 / C(20, 10) exactly */
    cr_assert(fabs(p - 1.0 / 184756.0) < 1e-18, "%g", p);
    cr_assert(q == 1.0, "%g", q);
    double c[3] = {1, 1, 1};
    cr_assert(stats_mann_whitney_p(c, 3, c, 3) == 1.0, "all tied: no evidence");
    cr_assert(stats_mann_whitney_p(a, 0, b, 10) == 1.0);
}

/* Printed tables: t_{0.975} with 10 df = 2.228, chi2_{0.95} with 10 df =
 * 18.307, z_{0.975} = 1.95996 (e.g. Abramowitz and Stegun Tables 26.7, 26.8). */
Test(stats, tails_and_quantiles_against_tables)
{
    cr_assert(fabs(stats_t_quantile(0.975, 10) - 2.228) < 5e-4);
    cr_assert(fabs(stats_t_upper(2.228, 10) - 0.025) < 1e-4);
    cr_assert(fabs(stats_t_quantile(0.995, 4) - 4.604) < 5e-4);
    cr_assert(fabs(stats_chi2_quantile(0.95, 10) - 18.307) < 5e-4);
    cr_assert(fabs(stats_chi2_upper(18.307, 10) - 0.05) < 1e-4);
    cr_assert(fabs(stats_chi2_quantile(0.99, 1) - 6.635) < 5e-4);
    cr_assert(fabs(stats_normal_quantile(0.975) - 1.959964) < 1e-6);
    cr_assert(fabs(stats_normal_upper(1.959964) - 0.025) < 1e-7);
    /* each tail inverts its quantile */
    for (double p = 0.01; p < 1; p += 0.07) {
        cr_assert(fabs(stats_t_upper(stats_t_quantile(1 - p, 7.5), 7.5) - p) < 1e-12, "p %g", p);
        cr_assert(fabs(stats_chi2_upper(stats_chi2_quantile(1 - p, 3), 3) - p) < 1e-12, "p %g", p);
    }
}

/* The sign test against counting: P(X >= k) = sum_{j >= k} C(n, j) / 2^n. */
Test(stats, sign_test_equals_counting)
{
    for (int n = 1; n <= 20; n++)
        for (int k = 0; k <= n + 1; k++) {
            double want = 0, c = 1; /* C(n, j) built up */
            for (int j = 0; j <= n; j++) {
                if (j >= k) want += c;
                c = c * (n - j) / (j + 1);
            }
            want /= pow(2, n);
            cr_assert(fabs(stats_sign_test_p(k, n) - want) < 1e-14, "n %d k %d: %g vs %g", n, k, stats_sign_test_p(k, n),
                      want);
        }
}

Test(stats, median_odd_even_empty)
{
    double x[] = {5, 1, 4, 2, 3}, y[] = {4, 1, 3, 2};
    cr_assert(stats_median(x, 5) == 3);
    cr_assert(stats_median(y, 4) == 2.5);
    cr_assert(isnan(stats_median(y, 0)));
}

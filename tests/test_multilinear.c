/* multilinear: fast vs naive Moebius, round trips, the product unit's
 * error, and the network's error against its bound. */
#include "multilinear.h"
#include "rng.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

Test(multilinear, fast_moebius_equals_inclusion_exclusion)
{
    rng_stream r;
    rng_init(&r, 21, 0, 0);
    for (int n = 0; n <= 9; n++) {
        uint32_t N = 1u << n;
        int64_t *h = malloc(N * sizeof *h), *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
        for (int rep = 0; rep < 5; rep++) {
            for (uint32_t x = 0; x < N; x++)
                h[x] = rep == 0 ? 0 : rep == 1 ? INT32_MAX : (int64_t)rng_below(&r, 2001) - 1000;
            multilinear_moebius(a, h, n);
            multilinear_moebius_naive(b, h, n);
            for (uint32_t K = 0; K < N; K++) cr_assert(a[K] == b[K], "n=%d rep=%d K=%u", n, rep, K);
            multilinear_zeta(b, a, n);
            for (uint32_t x = 0; x < N; x++) {
                cr_assert(b[x] == h[x], "round trip n=%d x=%u", n, x);
                cr_assert(multilinear_eval(a, n, x) == h[x], "eval n=%d x=%u", n, x);
            }
        }
        free(h); free(a); free(b);
    }
}

Test(multilinear, known_polynomials)
{
    /* h = x0 AND x1 on 2 bits: a single coefficient on K = {0,1} */
    int64_t h[4] = {0, 0, 0, 1}, a[4];
    multilinear_moebius(a, h, 2);
    cr_assert(a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 1);
    /* h = x0 XOR x1 = x0 + x1 - 2 x0 x1 */
    int64_t x[4] = {0, 1, 1, 0};
    multilinear_moebius(a, x, 2);
    cr_assert(a[0] == 0 && a[1] == 1 && a[2] == 1 && a[3] == -2);
}

Test(multilinear, product_unit_error_is_sigmoid_of_half_beta)
{
    for (int k = 1; k <= 10; k++)
        for (double beta = 1.0; beta < 60.0; beta += 3.7) {
            double e = multilinear_unit_maxerr(k, beta);
            double want = 1.0 / (1.0 + exp(beta / 2)); /* sigma(-beta/2) */
            cr_assert(fabs(e - want) <= 1e-15 + 1e-12 * want, "k=%d beta=%g: %g vs %g", k, beta, e, want);
        }
}

Test(multilinear, beta_for_decimals_matches_closed_form)
{
    for (int D = 1; D <= 10; D++) {
        double b = multilinear_beta_for_decimals(3, D);
        double f = 2.0 * log(2.0 * pow(10.0, D) - 1.0);
        /* 1 - sigma(beta/2) carries an absolute rounding error ~eps, so the
         * bisection lands within 2 eps / (0.5 10^-D) in beta (d ln e / d beta =
         * -1/2); allow twice that plus the bisection width. */
        double tol = 1e-8 + 8.0 * DBL_EPSILON * pow(10.0, D);
        cr_assert(fabs(b - f) < tol, "D=%d: %.12g vs %.12g (tol %g)", D, b, f, tol);
    }
}

Test(multilinear, network_within_its_error_bound)
{
    rng_stream r;
    rng_init(&r, 22, 0, 0);
    for (int n = 1; n <= 8; n++) {
        uint32_t N = 1u << n;
        int64_t *h = malloc(N * sizeof *h), *a = malloc(N * sizeof *a);
        for (uint32_t x = 0; x < N; x++) h[x] = (int64_t)rng_below(&r, 41) - 20;
        multilinear_moebius(a, h, n);
        for (double beta = 2.0; beta <= 80.0; beta += 6.0) {
            double e = multilinear_net_maxerr(a, h, n, beta), b = multilinear_net_errbound(a, n, beta);
            cr_assert(e <= b, "n=%d beta=%g: error %g above bound %g", n, beta, e, b);
        }
        cr_assert(multilinear_net_maxerr(a, h, n, 80.0) < 1e-9, "n=%d", n);
        free(h); free(a);
    }
}

Test(multilinear, wrong_coefficients_are_caught)
{
    /* the check can fail: perturb one coefficient and the network misses h */
    int64_t h[8] = {3, -1, 4, 1, -5, 9, 2, -6}, a[8];
    multilinear_moebius(a, h, 3);
    a[5] += 1;
    cr_assert(multilinear_net_maxerr(a, h, 3, 80.0) > 0.5);
}

/* conv: direct and FFT circular convolution agree within the rounding bound. */
#include "conv.h"
#include "rng.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

Test(conv, small_example_by_hand)
{
    /* (1,2,3) (*) (0,1,0) shifts by one: (3,1,2) */
    double a[3] = {1, 2, 3}, b[3] = {0, 1, 0}, out[3];
    conv_direct(out, a, b, 3, 0, 3);
    cr_assert(out[0] == 3 && out[1] == 1 && out[2] == 2);
}

Test(conv, fft_equals_direct)
{
    rng_stream r;
    rng_init(&r, 31, 0, 0);
    for (int k = 0; k <= 12; k++) {
        size_t n = (size_t)1 << k;
        double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
        for (size_t i = 0; i < n; i++) { a[i] = rng_normal(&r); b[i] = k % 2 ? rng_normal(&r) : 1e3 * rng_uniform(&r); }
        conv_direct(x, a, b, n, 0, n);
        conv_plan p;
        cr_assert(conv_plan_init(&p, n) == 0, "n=%zu", n);
        conv_fft(&p, y, a, b);
        conv_plan_clear(&p);
        /* FFT error <= c eps log2(n) |a|_2 |b|_2 (c = 5 for FFTW's algorithms),
         * plus the direct route's own bound */
        double na = 0, nb = 0;
        for (size_t i = 0; i < n; i++) { na += a[i] * a[i]; nb += b[i] * b[i]; }
        double fftb = 5.0 * DBL_EPSILON * (k + 1) * sqrt(na * nb);
        for (size_t i = 0; i < n; i++) {
            double tol = fftb + conv_direct_errbound(a, b, n, i);
            cr_assert(fabs(x[i] - y[i]) <= tol, "n=%zu i=%zu: %g vs %g (tol %g)", n, i, x[i], y[i], tol);
        }
        free(a); free(b); free(x); free(y);
    }
}

Test(conv, multiplication_counts)
{
    cr_assert(conv_mults_direct(1024) == 1048576.0);
    /* 12 (n/2) log2 n + 4 n at n = 1024: 6 * 1024 * 10 + 4096 */
    cr_assert(conv_mults_fft(1024) == 6.0 * 1024 * 10 + 4096);
    cr_assert(conv_mults_fft(1 << 20) < conv_mults_direct(1 << 20) / 1000);
}

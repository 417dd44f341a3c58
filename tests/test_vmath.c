/* vmath: each function against MPFR (the exact value at 256 bits, compared
 * in units in the last place of the double result), on random arguments
 * biased to the corners (zeros, tiny and subnormal arguments, the overflow
 * and underflow thresholds, the poles, infinities, NaN); and an element's
 * value independent of its position, its neighbours and in-place use. */
#include "vmath.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <float.h>
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

typedef void (*vfun)(double *, const double *, size_t);
typedef int (*mfun)(mpfr_t, const mpfr_t, mpfr_rnd_t);

/* The libmvec criterion (vmath.h). */
#define ULP_BOUND 4.0

/* |y - f(x)| in units of the last place of f(x) (2^-1074 below the normal
 * range); infinities and NaN must match exactly (0 or INFINITY). */
static double ulp_error(double y, double x, mfun f)
{
    mpfr_t a, e, d;
    mpfr_inits2(256, a, e, d, (mpfr_ptr)0);
    mpfr_set_d(a, x, MPFR_RNDN);
    f(e, a, MPFR_RNDN);
    double ed = mpfr_get_d(e, MPFR_RNDN), err;
    if (isnan(ed) || isinf(ed)) {
        err = (isnan(ed) && isnan(y)) || ed == y ? 0.0 : INFINITY;
    } else if (!isfinite(y)) {
        err = INFINITY;
    } else {
        long ex = mpfr_zero_p(e) ? -1074 : (long)mpfr_get_exp(e) - 53; /* value in [2^(E-1), 2^E) */
        if (ex < -1074) ex = -1074;
        mpfr_set_d(d, y, MPFR_RNDN);
        mpfr_sub(d, d, e, MPFR_RNDN);
        mpfr_abs(d, d, MPFR_RNDN);
        mpfr_mul_2si(d, d, -ex, MPFR_RNDN);
        err = mpfr_get_d(d, MPFR_RNDU);
    }
    mpfr_clears(a, e, d, (mpfr_ptr)0);
    return err;
}

/* n arguments: the corners first, then uniform on [lo, hi] and log-uniform
 * in magnitude (1e-300 .. hi) with either sign, clamped below at floor. */
static double *arguments(size_t *n, const double *corner, size_t nc, double lo, double hi, double floor_)
{
    size_t nr = 4000;
    double *x = malloc((nc + nr) * sizeof *x);
    rng_stream r;
    rng_init(&r, 20261201, 0, 0);
    for (size_t i = 0; i < nc; i++) x[i] = corner[i];
    for (size_t i = 0; i < nr; i++) {
        double v;
        if (i % 2 == 0) v = lo + (hi - lo) * rng_uniform(&r);
        else v = (rng_uniform(&r) < 0.5 ? -1 : 1) * exp(log(1e-300) + (log(fabs(hi)) - log(1e-300)) * rng_uniform(&r));
        x[nc + i] = v < floor_ ? floor_ : v;
    }
    *n = nc + nr;
    return x;
}

static void check_accuracy(const char *name, vfun vf, mfun mf, const double *x, size_t n)
{
    double *y = malloc(n * sizeof *y);
    vf(y, x, n);
    double worst = 0.0;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        double e = ulp_error(y[i], x[i], mf);
        if (!(e <= worst)) worst = e, at = i;
    }
    cr_assert(worst <= ULP_BOUND, "%s(%.17g) = %.17g: %.3g ulp from MPFR (bound %g)", name, x[at], y[at], worst,
              ULP_BOUND);
    free(y);
}

Test(vmath, exp_within_4_ulp_of_mpfr)
{
    const double c[] = {0.0, -0.0, 1e-300, -1e-300, 4.9e-324, 1.0, -1.0, 0.5, 709.0, 709.7, 709.78, 710.0, 800.0,
                        -700.0, -708.39, -708.4, -720.0, -745.0, -745.13, -746.0, -1000.0, INFINITY, -INFINITY, NAN};
    size_t n;
    double *x = arguments(&n, c, sizeof c / sizeof *c, -745.0, 709.0, -800.0);
    check_accuracy("exp", vmath_exp, mpfr_exp, x, n);
    free(x);
}

Test(vmath, expm1_within_4_ulp_of_mpfr)
{
    const double c[] = {0.0, -0.0, 1e-300, -1e-300, 4.9e-324, -4.9e-324, 1e-17, -1e-17, 1e-8, -1e-8, 0.3465, -0.3466,
                        1.0, -1.0, 36.0, -37.5, -40.0, -800.0, 709.0, 709.7, 710.0, INFINITY, -INFINITY, NAN};
    size_t n;
    double *x = arguments(&n, c, sizeof c / sizeof *c, -50.0, 709.0, -800.0);
    check_accuracy("expm1", vmath_expm1, mpfr_expm1, x, n);
    free(x);
}

Test(vmath, log1p_within_4_ulp_of_mpfr)
{
    const double c[] = {0.0, -0.0, 1e-300, -1e-300, 4.9e-324, -4.9e-324, 1e-17, -1e-17, 1e-8, -1e-8, -0.29, 0.41,
                        -0.5, 1.0, 2.0, 1e300, DBL_MAX, -1.0 + DBL_EPSILON, -1.0 + 1e-300, -0.999999, -1.0, -2.0,
                        INFINITY, -INFINITY, NAN};
    size_t n;
    double *x = arguments(&n, c, sizeof c / sizeof *c, -1.0, 1e3, -1.0);
    check_accuracy("log1p", vmath_log1p, mpfr_log1p, x, n);
    free(x);
}

/* Each element of a call of every length 1..13, at every offset, equals the
 * element computed alone; in place equals out of place. */
static void check_positions(const char *name, vfun vf)
{
    double x[13] = {0.25, -3.0, 1e-12, 7.5, -0.75, 700.0, -1e-300, 2.0, -0.5, 40.0, 1.5, -20.0, 0.0};
    double one[13], y[13], z[13];
    for (int i = 0; i < 13; i++) vf(&one[i], &x[i], 1);
    for (int len = 1; len <= 13; len++)
        for (int off = 0; off + len <= 13; off++) {
            vf(y, x + off, (size_t)len);
            for (int i = 0; i < len; i++)
                cr_assert(memcmp(&y[i], &one[off + i], sizeof(double)) == 0, "%s: length %d offset %d element %d",
                          name, len, off, i);
        }
    memcpy(z, x, sizeof z);
    vf(z, z, 13);
    vf(y, x, 13);
    cr_assert(memcmp(y, z, sizeof y) == 0, "%s: in place differs", name);
}

Test(vmath, values_independent_of_position)
{
    check_positions("exp", vmath_exp);
    check_positions("expm1", vmath_expm1);
    check_positions("log1p", vmath_log1p);
}

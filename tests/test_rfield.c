/* rfield: composed receptive fields against naive products; the spread
 * measure on synthetic local (wrapped Gaussian) and non-local fields. */
#include "rfield.h"
#include "rng.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>

Test(rfield, compose_matches_naive_product)
{
    rng_stream r;
    rng_init(&r, 5, 0, 0);
    int sizes[4] = {7, 5, 3, 2};
    double *W[3];
    for (int l = 0; l < 3; l++) {
        W[l] = malloc(sizeof(double) * sizes[l] * sizes[l + 1]);
        for (int i = 0; i < sizes[l] * sizes[l + 1]; i++) W[l][i] = rng_normal(&r);
    }
    for (int depth = 1; depth <= 3; depth++) {
        double out[7 * 5];
        cr_assert(rfield_compose(out, (const double *const *)W, sizes, depth) == 0);
        // naive: R[j][v] = sum over paths j -> ... -> v of the product of weights
        for (int j = 0; j < sizes[depth]; j++)
            for (int v = 0; v < sizes[0]; v++) {
                double acc[7] = {0};
                for (int i = 0; i < sizes[0]; i++) acc[i] = i == v;
                for (int l = 0; l < depth; l++) {
                    double nx[7] = {0};
                    for (int h = 0; h < sizes[l + 1]; h++)
                        for (int i = 0; i < sizes[l]; i++) nx[h] += W[l][h * sizes[l] + i] * acc[i];
                    for (int h = 0; h < 7; h++) acc[h] = h < sizes[l + 1] ? nx[h] : 0;
                }
                double got = out[j * sizes[0] + v];
                cr_assert(fabs(got - acc[j]) <= 1e-12 * (1 + fabs(acc[j])), "depth=%d j=%d v=%d: %g vs %g",
                          depth, j, v, got, acc[j]);
            }
    }
    for (int l = 0; l < 3; l++) free(W[l]);
}

/* A wrapped Gaussian of width s about (cx, cy): rg^2 -> 2 s^2 for s << L. */
static void blob(double *f, int L, double cx, double cy, double s, double sign_flip)
{
    for (int y = 0; y < L; y++)
        for (int x = 0; x < L; x++) {
            double v = 0;
            for (int a = -1; a <= 1; a++)
                for (int b = -1; b <= 1; b++) {
                    double dx = x - cx + a * L, dy = y - cy + b * L;
                    v += exp(-(dx * dx + dy * dy) / (4 * s * s)); // f^2 has width s
                }
            f[y * L + x] = ((x + y) % 2 && sign_flip > 0) ? -v : v;
        }
}

Test(rfield, gaussian_blob_radius_and_centre_including_wraparound)
{
    int L = 40;
    double *f = malloc(sizeof *f * L * L);
    double cases[][3] = {{10.3, 20.7, 1.5}, {0.2, 39.6, 2.0}, {39.5, 0.5, 3.0}, {20, 20, 4.0}};
    for (int c = 0; c < 4; c++)
        for (int flip = 0; flip < 2; flip++) {
            blob(f, L, cases[c][0], cases[c][1], cases[c][2], flip);
            rfield_spread_t s = rfield_spread(f, L);
            double want = sqrt(2) * cases[c][2];
            // the lattice sum of a Gaussian of width >= 1.5 equals the integral to < 1e-6
            cr_assert(fabs(s.rg - want) < 1e-3 * want, "case %d flip %d: rg %g want %g", c, flip, s.rg, want);
            double ex = fabs(s.cx - cases[c][0]), ey = fabs(s.cy - cases[c][1]);
            ex = fmin(ex, L - ex); ey = fmin(ey, L - ey);
            cr_assert(ex < 1e-6 && ey < 1e-6, "case %d centre (%g,%g)", c, s.cx, s.cy);
        }
    free(f);
}

Test(rfield, nonlocal_fields_are_near_the_uniform_spread)
{
    int L = 40;
    double *f = malloc(sizeof *f * L * L), *tmp = malloc(sizeof *tmp * L * L);
    rng_stream r;
    rng_init(&r, 9, 1, 0);
    double u = rfield_spread_uniform(L);
    // exact: var of the offset on the 40-cycle is (L^2 + 2) / 12 = 133.5
    cr_assert(fabs(u - sqrt(2 * 133.5)) < 1e-12, "uniform %g", u);
    for (int i = 0; i < L * L; i++) f[i] = rng_normal(&r);
    double rg = rfield_spread(f, L).rg;
    cr_assert(rg > 0.85 * u && rg <= u * 1.0001, "white noise rg %g vs uniform %g", rg, u);
    // a local blob permuted over the sites loses its locality
    blob(f, L, 12, 5, 1.5, 0);
    double loc = rfield_spread(f, L).rg, perm = rfield_spread_permuted(f, L, tmp, &r);
    cr_assert(loc < 0.2 * perm, "local %g permuted %g", loc, perm);
    cr_assert(perm > 0.5 * u, "permuted %g uniform %g", perm, u);
    for (int i = 0; i < L * L; i++) f[i] = 0;
    cr_assert(isnan(rfield_spread(f, L).rg));
    free(f); free(tmp);
}

/* The feature scale two ways: the real-space sum and Parseval, with
 * sum_x |f(x+e) - f(x)|^2 = (1/N) sum_k |F(k)|^2 |e^{i k.e} - 1|^2 and
 * |e^{i q} - 1|^2 = 4 sin^2(q/2), by a direct DFT on a small random field. */
Test(rfield, scale_matches_fourier_route)
{
    rng_stream r;
    rng_init(&r, 17, 0, 0);
    for (int L = 2; L <= 9; L++) {
        double f[81];
        for (int i = 0; i < L * L; i++) f[i] = rng_normal(&r) + (L % 3 == 0 ? 5 : 0);
        double s2 = 0, g2 = 0;
        for (int ky = 0; ky < L; ky++)
            for (int kx = 0; kx < L; kx++) {
                double re = 0, im = 0, qx = 2 * M_PI * kx / L, qy = 2 * M_PI * ky / L;
                for (int y = 0; y < L; y++)
                    for (int x = 0; x < L; x++) {
                        re += f[y * L + x] * cos(qx * x + qy * y);
                        im -= f[y * L + x] * sin(qx * x + qy * y);
                    }
                double p = (re * re + im * im) / (L * L);
                s2 += p;
                g2 += p * 4 * (pow(sin(qx / 2), 2) + pow(sin(qy / 2), 2));
            }
        double want = sqrt(s2 / g2), got = rfield_scale(f, L);
        cr_assert(fabs(got - want) <= 1e-10 * want, "L=%d: %.15g vs %.15g", L, got, want);
    }
}

Test(rfield, scale_of_blobs_noise_and_corner_cases)
{
    int L = 40;
    double *f = malloc(sizeof(double) * L * L);
    for (int k = 0; k < 3; k++) { /* f = exp(-r^2 / 4 s^2) has width sigma = sqrt(2) s */
        double s = 2 + k, sigma = sqrt(2) * s;
        blob(f, L, 7.3 + 10 * k, 38.6, s, 0);
        double xi = rfield_scale(f, L);
        // a central difference of a Gaussian of width sigma: relative error ~ 1/(24 sigma^2)
        cr_assert(fabs(xi - sigma) <= sigma / (8 * sigma * sigma), "s=%g: xi %g vs %g", s, xi, sigma);
    }
    // white noise: E[xi^2] -> 1/4; mean over 40 fields within 4 standard errors
    rng_stream r;
    rng_init(&r, 3, 0, 0);
    double m = 0, m2 = 0;
    for (int t = 0; t < 40; t++) {
        for (int i = 0; i < L * L; i++) f[i] = rng_normal(&r);
        double x2 = pow(rfield_scale(f, L), 2);
        m += x2; m2 += x2 * x2;
    }
    m /= 40;
    double se = sqrt((m2 / 40 - m * m) / 39);
    cr_assert(fabs(m - 0.25) <= 4 * se + 1e-3, "noise: mean xi^2 %g, se %g", m, se);
    for (int i = 0; i < L * L; i++) f[i] = 2.5;
    cr_assert(isinf(rfield_scale(f, L)));
    for (int i = 0; i < L * L; i++) f[i] = 0;
    cr_assert(isnan(rfield_scale(f, L)));
    free(f);
}

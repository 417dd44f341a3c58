/* vae: importance-sampled q(x) against quadrature over a 1-D latent, sum of
 * q over all strings, the fidelity estimator against the exact sum, ELBO
 * gradients by central differences (double twin), training raises the ELBO,
 * KL per unit, thread-count independence, bad sizes. */
#include "vae.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* A tiny VAE with 1-D latent whose decoder weights are scaled up so that
 * q(x) is far from uniform and the posterior far from the prior. */
static void tiny_1d(vae_d *v, int bits, uint64_t seed)
{
    cr_assert(eq(int, vae_init_d(v, bits, 1, 1, 6, NN_TANH, 64), 0));
    rng_stream r;
    rng_init(&r, seed, 0, 0);
    vae_init_weights_d(v, &r);
    for (size_t i = 0; i < v->dec.nparams; i++) v->dec.params[i] *= 3;
    for (size_t i = 0; i < v->enc.nparams; i++) v->enc.params[i] *= 2;
}

/* q(x) = int N(z; 0, 1) p(x|z) dz by composite Simpson on [-12, 12]
 * (the Gaussian tail beyond 12 is < 1e-32; the integrand is smooth). */
static void quad_q(vae_d *v, double *q)
{
    int bits = v->bits, npts = 4801; /* odd */
    size_t N = (size_t)1 << bits;
    double a = -12, h = 24.0 / (npts - 1);
    for (size_t x = 0; x < N; x++) q[x] = 0;
    double z[64];
    for (int s = 0; s < npts; s += 64) {
        int b = npts - s < 64 ? npts - s : 64;
        for (int i = 0; i < b; i++) z[i] = a + (s + i) * h;
        const double *L = nn_forward_d(&v->dec, z, b);
        for (int i = 0; i < b; i++) {
            int idx = s + i;
            double w = (idx == 0 || idx == npts - 1) ? 1 : (idx % 2 ? 4 : 2);
            double prior = exp(-0.5 * z[i] * z[i]) / sqrt(2 * M_PI);
            for (size_t x = 0; x < N; x++) {
                double lp = 0;
                for (int j = 0; j < bits; j++) {
                    double l = L[i * bits + j], xj = (double)((x >> (bits - 1 - j)) & 1);
                    lp += xj * l - (l > 0 ? l : 0) - log1p(exp(-fabs(l)));
                }
                q[x] += w * h / 3 * prior * exp(lp);
            }
        }
    }
}

Test(vae, logq_vs_quadrature)
{
    static const double alphas[3] = {0.1, 0.5, 1.0};
    vae_d v;
    tiny_1d(&v, 4, 11);
    double q[16], sum = 0;
    quad_q(&v, q);
    for (int x = 0; x < 16; x++) sum += q[x];
    cr_assert(epsilon_eq(dbl, sum, 1.0, 1e-9), "quadrature: sum q = %.12f", sum);
    double qmin = 1, qmax = 0;
    for (int x = 0; x < 16; x++) qmin = fmin(qmin, q[x]), qmax = fmax(qmax, q[x]);
    cr_assert(qmax > 3 * qmin, "the test VAE should be far from uniform (%g..%g)", qmin, qmax);
    for (int ia = 0; ia < 3; ia++) {
        rng_stream r;
        rng_init(&r, 5, 1, (uint32_t)ia);
        for (int x = 0; x < 16; x++) {
            double xb[4], rel;
            vae_bits_d(xb, (uint64_t)x, 4);
            double lq = vae_log_q_d(&v, &rel, xb, 4000, alphas[ia], &r), qh = exp(lq);
            cr_assert(rel > 0 && rel < 0.1, "alpha %g x %d: relative SE %g", alphas[ia], x, rel);
            cr_assert(fabs(qh - q[x]) <= 5 * rel * qh, "alpha %g x %d: IS %.6g exact %.6g SE %.3g", alphas[ia], x, qh,
                      q[x], rel * qh);
        }
    }
    vae_clear_d(&v);
}

/* The float path on the same weights against the double quadrature. */
Test(vae, logq_float_vs_quadrature)
{
    vae_d v;
    tiny_1d(&v, 4, 12);
    double q[16];
    quad_q(&v, q);
    vae f;
    cr_assert(eq(int, vae_init(&f, 4, 1, 1, 6, NN_TANH, 64), 0));
    for (size_t i = 0; i < f.enc.nparams; i++) f.enc.params[i] = (float)v.enc.params[i];
    for (size_t i = 0; i < f.dec.nparams; i++) f.dec.params[i] = (float)v.dec.params[i];
    rng_stream r;
    rng_init(&r, 6, 0, 0);
    for (int x = 0; x < 16; x++) {
        float xb[4];
        double rel;
        vae_bits(xb, (uint64_t)x, 4);
        double qh = exp(vae_log_q(&f, &rel, xb, 4000, 0.2, &r));
        /* float weights perturb q by ~1e-6 relative: far below the SE */
        cr_assert(fabs(qh - q[x]) <= 5 * rel * qh + 1e-5 * q[x], "x %d: IS %.6g exact %.6g", x, qh, q[x]);
    }
    vae_clear(&f);
    vae_clear_d(&v);
}

/* sum_x q(x) = 1 over all 2^6 strings for a 2-D latent (no quadrature). */
Test(vae, logq_sums_to_one)
{
    vae_d v;
    cr_assert(eq(int, vae_init_d(&v, 6, 2, 2, 8, NN_TANH, 64), 0));
    rng_stream r;
    rng_init(&r, 21, 0, 0);
    vae_init_weights_d(&v, &r);
    for (size_t i = 0; i < v.dec.nparams; i++) v.dec.params[i] *= 2;
    double s = 0, var = 0;
    for (int x = 0; x < 64; x++) {
        double xb[6], rel;
        vae_bits_d(xb, (uint64_t)x, 6);
        double qh = exp(vae_log_q_d(&v, &rel, xb, 2000, 0.2, &r));
        s += qh;
        var += (rel * qh) * (rel * qh);
    }
    cr_assert(fabs(s - 1) <= 5 * sqrt(var), "sum q = %.6f, SE %.2g", s, sqrt(var));
    cr_assert(sqrt(var) < 0.02, "SE %.3g too large to test anything", sqrt(var));
    vae_clear_d(&v);
}

Test(vae, fidelity_exact_cases)
{
    double p[64], q[64];
    rng_stream r;
    rng_init(&r, 3, 0, 0);
    double s = 0;
    for (int i = 0; i < 64; i++) s += p[i] = rng_uniform(&r) * (i % 5 == 0 ? 0 : 1); /* with zeros */
    for (int i = 0; i < 64; i++) p[i] /= s;
    cr_assert(epsilon_eq(dbl, vae_fidelity_exact(p, p, 64), 1.0, 1e-14));
    for (int i = 0; i < 64; i++) q[i] = p[i] > 0 ? 0 : 1.0 / 13; /* 13 zeros in p */
    cr_assert(eq(dbl, vae_fidelity_exact(p, q, 64), 0.0));
}

/* The estimator E_{x~p} sqrt(q^/p) against sum sqrt(p q) with q by quadrature. */
Test(vae, fidelity_estimator_vs_exact)
{
    vae_d v;
    tiny_1d(&v, 5, 13);
    double q[32], p[32], cdf[32], s = 0;
    quad_q(&v, q);
    rng_stream r;
    rng_init(&r, 4, 0, 0);
    for (int x = 0; x < 32; x++) s += p[x] = 0.2 + rng_uniform(&r);
    for (int x = 0; x < 32; x++) cdf[x] = (x ? cdf[x - 1] : 0) + (p[x] /= s);
    double F = vae_fidelity_exact(p, q, 32);
    enum { M = 20000 };
    uint64_t *xs = malloc(M * sizeof *xs);
    double *px = malloc(M * sizeof *px);
    for (int i = 0; i < M; i++) {
        double u = rng_uniform(&r);
        int x = 0;
        while (x < 31 && cdf[x] < u) x++;
        xs[i] = (uint64_t)x;
        px[i] = p[x];
    }
    vae_fid f;
    cr_assert(eq(int, vae_fidelity_d(&v, &f, xs, px, M, 32, 0.2, &r), 0));
    cr_assert(fabs(f.F - F) <= 5 * f.se, "F^ %.5f +- %.5f, exact %.5f", f.F, f.se, F);
    cr_assert(f.se < 0.004 && f.bias_corr >= 0 && f.bias_corr < 5 * f.se, "se %g corr %g", f.se, f.bias_corr);
    cr_assert(F < 0.98, "test VAE too close to the target (F = %g)", F);
    free(xs);
    free(px);
    vae_clear_d(&v);
}

/* Central differences of -ELBO (fixed noise) in every parameter of both
 * nets; tolerance as in test_nn.c: estimated truncation + rounding. */
#define FD_H 1e-5
static double fd_check(vae_d *v, double *w, const double *X, const double *eps, int B, double g)
{
    double w0 = *w, f0 = vae_loss_grad_d(v, X, eps, B);
    *w = w0 + FD_H;
    double p1 = vae_loss_grad_d(v, X, eps, B);
    *w = w0 - FD_H;
    double m1 = vae_loss_grad_d(v, X, eps, B);
    *w = w0 + 2 * FD_H;
    double p2 = vae_loss_grad_d(v, X, eps, B);
    *w = w0 - 2 * FD_H;
    double m2 = vae_loss_grad_d(v, X, eps, B);
    *w = w0;
    double d1 = (p1 - m1) / (2 * FD_H), d2 = (p2 - m2) / (4 * FD_H);
    double tol = fabs(d2 - d1) + 8 * 2.220446049250313e-16 * (1 + fabs(f0)) / FD_H + 1e-12 * (1 + fabs(d1));
    return fabs(d1 - g) / fmax(tol, 1e-300) <= 3 ? 0 : fabs(d1 - g);
}

static void grad_case(nn_act act)
{
    enum { B = 3, BITS = 5, K = 2 };
    vae_d v;
    cr_assert(eq(int, vae_init_d(&v, BITS, K, 2, 4, act, B), 0));
    rng_stream r;
    rng_init(&r, 31, (uint32_t)act, 0);
    vae_init_weights_d(&v, &r);
    for (size_t i = 0; i < v.enc.nparams; i++) v.enc.params[i] += 0.1 * rng_normal(&r); /* nonzero biases */
    for (size_t i = 0; i < v.dec.nparams; i++) v.dec.params[i] += 0.1 * rng_normal(&r);
    double X[B * BITS], eps[B * K];
    for (int i = 0; i < B * BITS; i++) X[i] = rng_bernoulli(&r, 0.5);
    for (int i = 0; i < B * K; i++) eps[i] = rng_normal(&r);
    vae_loss_grad_d(&v, X, eps, B);
    double *ge = malloc(v.enc.nparams * sizeof(double)), *gd = malloc(v.dec.nparams * sizeof(double));
    memcpy(ge, v.enc.grads, v.enc.nparams * sizeof(double));
    memcpy(gd, v.dec.grads, v.dec.nparams * sizeof(double));
    for (size_t i = 0; i < v.enc.nparams; i++) {
        double bad = fd_check(&v, &v.enc.params[i], X, eps, B, ge[i]);
        cr_assert(bad == 0, "%s: encoder param %zu: analytic %.10g off by %.3g", nn_act_name(act), i, ge[i], bad);
    }
    for (size_t i = 0; i < v.dec.nparams; i++) {
        double bad = fd_check(&v, &v.dec.params[i], X, eps, B, gd[i]);
        cr_assert(bad == 0, "%s: decoder param %zu: analytic %.10g off by %.3g", nn_act_name(act), i, gd[i], bad);
    }
    free(ge);
    free(gd);
    vae_clear_d(&v);
}

Test(vae, elbo_gradient_tanh) { grad_case(NN_TANH); }
Test(vae, elbo_gradient_softplus) { grad_case(NN_SOFTPLUS); }

/* Two-mode data over 6 bits (0^6 or 1^6, each bit flipped with prob 0.05). */
static float *two_modes(size_t n, rng_stream *r)
{
    float *X = malloc(n * 6 * sizeof(float));
    for (size_t i = 0; i < n; i++) {
        int m = rng_bernoulli(r, 0.5);
        for (int j = 0; j < 6; j++) X[i * 6 + j] = (float)(m ^ rng_bernoulli(r, 0.05));
    }
    return X;
}

static double mean_neg_elbo(vae *v, const float *X, size_t n, uint64_t seed)
{
    rng_stream r;
    rng_init(&r, seed, 9, 9);
    float eps[64 * 2];
    double t = 0;
    for (size_t s = 0; s < n; s += 64) {
        int b = n - s < 64 ? (int)(n - s) : 64;
        for (int i = 0; i < b * v->latent; i++) eps[i] = (float)rng_normal(&r);
        t += b * vae_loss_grad(v, X + s * 6, eps, b);
    }
    return t / n;
}

Test(vae, training_raises_elbo_and_kl_units)
{
    enum { N = 2000 };
    rng_stream r;
    rng_init(&r, 41, 0, 0);
    float *X = two_modes(N, &r);
    vae v;
    cr_assert(eq(int, vae_init(&v, 6, 2, 2, 16, NN_TANH, 64), 0));
    vae_init_weights(&v, &r);
    double before = mean_neg_elbo(&v, X, N, 1);
    for (int e = 0; e < 30; e++) vae_train_epoch(&v, X, N, 50, &r);
    double after = mean_neg_elbo(&v, X, N, 1);
    /* entropy of the data: ln 2 + 6 H(0.05) = 1.85 nats; start ~ 6 ln 2 = 4.2 */
    cr_assert(after < before - 1.0, "-ELBO before %.4f after %.4f", before, after);
    cr_assert(after > 1.85 - 0.1, "-ELBO %.4f below the data entropy 1.85 nats", after);
    /* KL per unit sums to the batch KL term */
    double kl[2];
    vae_kl_units(&v, kl, X, 64);
    float eps[64 * 2] = {0};
    vae_loss_grad(&v, X, eps, 64);
    cr_assert(epsilon_eq(dbl, kl[0] + kl[1], v.kl, 1e-5 * (1 + v.kl)), "units %g + %g vs %g", kl[0], kl[1], v.kl);
    cr_assert(kl[0] + kl[1] > 0.3, "the latent should carry the mode (KL %g nats)", kl[0] + kl[1]);
    vae_clear(&v);
    free(X);
}

static void train_grid(float *out, int threads)
{
    enum { NV = 4, N = 500 };
    nn_blas_single_thread();
    omp_set_num_threads(threads);
    #pragma omp parallel for schedule(dynamic)
    for (int c = 0; c < NV; c++) {
        rng_stream r;
        rng_init(&r, 77, (uint32_t)c, 0);
        float *X = two_modes(N, &r);
        vae v;
        vae_init(&v, 6, 1 + c % 2, 1 + c, 8, NN_TANH, 32);
        vae_init_weights(&v, &r);
        for (int e = 0; e < 2; e++) vae_train_epoch(&v, X, N, 32, &r);
        float xb[6];
        double rel;
        vae_bits(xb, 5, 6);
        out[c] = (float)vae_log_q(&v, &rel, xb, 100, 0.2, &r);
        out[NV + c] = v.dec.params[v.dec.nparams - 1];
        vae_clear(&v);
        free(X);
    }
    omp_set_num_threads(1);
}

Test(vae, thread_count_independent)
{
    float a[8], b[8];
    train_grid(a, 1);
    train_grid(b, 2);
    cr_assert(memcmp(a, b, sizeof a) == 0, "results differ between 1 and 2 threads");
}

Test(vae, bad_sizes_rejected)
{
    static const int bad[][5] = {{0, 1, 1, 4, 8}, {63, 1, 1, 4, 8}, {6, 0, 1, 4, 8}, {6, 7, 1, 4, 8},
                                 {6, 2, 0, 4, 8}, {6, 2, 9, 4, 8}, {6, 2, 1, 0, 8}, {6, 2, 1, 4, 0}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vae v;
        int rc = vae_init(&v, bad[i][0], bad[i][1], bad[i][2], bad[i][3], NN_TANH, bad[i][4]);
        cr_assert(eq(int, rc, -1), "bits %d latent %d depth %d width %d cap %d accepted", bad[i][0], bad[i][1],
                  bad[i][2], bad[i][3], bad[i][4]);
        vae_clear(&v); /* safe on a zeroed struct */
    }
    vae v;
    cr_assert(eq(int, vae_init(&v, 6, 2, 1, 4, NN_TANH, 8), 0));
    float x[6] = {0};
    double rel;
    rng_stream r;
    rng_init(&r, 1, 0, 0);
    cr_assert(isnan(vae_log_q(&v, &rel, x, 1, 0.2, &r)), "K = 1 accepted");
    cr_assert(isnan(vae_log_q(&v, &rel, x, 10, 0.0, &r)), "alpha = 0 accepted");
    cr_assert(isnan(vae_log_q(&v, &rel, x, 10, 1.5, &r)), "alpha = 1.5 accepted");
    vae_clear(&v);
}

/* softmax: log-sum-exp two ways, posterior invariances, gradient by finite
 * differences, thread-count independence. */
#include "rng.h"
#include "softmax.h"
#include "vmath.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

static int rel_close(double a, double b, double rtol)
{
    return fabs(a - b) <= rtol * fmax(fabs(a), fabs(b)) + 1e-300;
}

Test(softmax, logsumexp_matches_naive_where_naive_is_safe)
{
    rng_stream r;
    rng_init(&r, 11, 0, 0);
    for (int t = 0; t < 1000; t++) {
        size_t k = 1 + rng_below(&r, 20);
        double z[20], naive = 0.0;
        for (size_t i = 0; i < k; i++) {
            z[i] = 40.0 * (rng_uniform(&r) - 0.5);
            naive += exp(z[i]);
        }
        /* both routes: a few ulps per term; 1e-13 relative is generous and stated */
        cr_assert(rel_close(softmax_logsumexp(z, k), log(naive), 1e-13), "case %d k=%zu", t, k);
    }
}

Test(softmax, logsumexp_extremes)
{
    double big[3] = {1000.0, 1000.0, 1000.0};
    cr_assert(epsilon_eq(dbl, softmax_logsumexp(big, 3), 1000.0 + log(3.0), 1e-12));
    double small[2] = {-1000.0, -1001.0};
    cr_assert(epsilon_eq(dbl, softmax_logsumexp(small, 2), -1000.0 + log1p(exp(-1.0)), 1e-12));
    double ninf[2] = {-INFINITY, -INFINITY};
    cr_assert(isinf(softmax_logsumexp(ninf, 2)) && softmax_logsumexp(ninf, 2) < 0);
    double mixed[2] = {-INFINITY, 0.0};
    cr_assert(softmax_logsumexp(mixed, 2) == 0.0);
}

Test(softmax, posterior_is_a_distribution_and_shift_invariant)
{
    rng_stream r;
    rng_init(&r, 12, 0, 0);
    for (int t = 0; t < 500; t++) {
        size_t k = 2 + rng_below(&r, 10);
        double H[12], mu[12], H2[12], p[12], p2[12], sum = 0.0;
        double shift = 500.0 * (rng_uniform(&r) - 0.5);
        for (size_t i = 0; i < k; i++) {
            H[i] = 30.0 * rng_normal(&r);
            mu[i] = -log(rng_uniform_pos(&r));
            H2[i] = H[i] + shift; /* a common energy offset cancels (LT Eq. 8) */
        }
        softmax_posterior(p, H, mu, k);
        softmax_posterior(p2, H2, mu, k);
        for (size_t i = 0; i < k; i++) {
            cr_assert(p[i] >= 0.0 && p[i] <= 1.0);
            cr_assert(fabs(p[i] - p2[i]) < 1e-12, "case %d class %zu", t, i);
            sum += p[i];
        }
        cr_assert(fabs(sum - 1.0) < 1e-14, "case %d: sum %g", t, sum);
    }
}

static void make_data(double *phi, int *y, size_t n, size_t f, int k, uint64_t seed)
{
    rng_stream r;
    rng_init(&r, seed, 0, 0);
    for (size_t i = 0; i < n; i++) {
        phi[i * f] = 1.0;
        for (size_t j = 1; j < f; j++) phi[i * f + j] = rng_normal(&r);
        y[i] = (int)rng_below(&r, (uint64_t)k);
    }
}

Test(softmax, gradient_matches_central_differences)
{
    enum { N = 200, F = 4, K = 3 };
    double phi[N * F], g[K * F];
    int y[N];
    make_data(phi, y, N, F, K, 13);
    softmax_model m;
    softmax_model_init(&m, K, F);
    rng_stream r;
    rng_init(&r, 14, 0, 0);
    for (int t = 0; t < K * F; t++) m.w[t] = 0.5 * rng_normal(&r);
    softmax_model_grad(g, &m, phi, y, N);
    /* central differences: error ~ h^2 f''' / 6 + eps f / h; h = 1e-5 gives < 1e-8 */
    const double h = 1e-5;
    for (int t = 0; t < K * F; t++) {
        double w0 = m.w[t];
        m.w[t] = w0 + h;
        double fp = softmax_model_xent(&m, phi, y, N, NULL);
        m.w[t] = w0 - h;
        double fm = softmax_model_xent(&m, phi, y, N, NULL);
        m.w[t] = w0;
        cr_assert(fabs((fp - fm) / (2 * h) - g[t]) < 1e-8, "weight %d: fd %g vs %g", t, (fp - fm) / (2 * h), g[t]);
    }
    softmax_model_clear(&m);
}

Test(softmax, training_is_thread_count_independent)
{
    enum { N = 5000, F = 3, K = 4 };
    double *phi = malloc(N * F * sizeof *phi);
    int *y = malloc(N * sizeof *y);
    make_data(phi, y, N, F, K, 15);
    double w[2][K * F];
    for (int run = 0; run < 2; run++) {
        omp_set_num_threads(run + 1);
        softmax_model m;
        softmax_model_init(&m, K, F);
        double g[K * F], v[K * F] = {0};
        for (int ep = 0; ep < 20; ep++) {
            softmax_model_grad(g, &m, phi, y, N);
            softmax_model_step(&m, v, g, 0.3, 0.9);
        }
        memcpy(w[run], m.w, sizeof w[run]);
        softmax_model_clear(&m);
    }
    omp_set_num_threads(1);
    cr_assert(memcmp(w[0], w[1], sizeof w[0]) == 0, "weights differ between 1 and 2 threads");
    free(phi);
    free(y);
}

Test(softmax, accuracy_of_a_perfect_model)
{
    /* features are one-hot labels: a large diagonal W classifies perfectly */
    enum { N = 30, K = 3 };
    double phi[N * K] = {0};
    int y[N];
    for (int i = 0; i < N; i++) { y[i] = i % K; phi[i * K + y[i]] = 1.0; }
    softmax_model m;
    softmax_model_init(&m, K, K);
    for (int c = 0; c < K; c++) m.w[c * K + c] = 50.0;
    cr_assert(softmax_model_accuracy(&m, phi, y, N) == 1.0);
    cr_assert(softmax_model_xent(&m, phi, y, N, NULL) < 1e-20);
    softmax_model_clear(&m);
}

/* The reference of the gradient and the cross-entropy in the plain loops
 * (every class's exponential computed, blocks of 1024 rows summed in
 * order): softmax-training's shapes (3 classes, 3 and 6 features) take an
 * unrolled path, the maximum logit skips its e^0, the exponentials go
 * through vmath in bulk, and grad_xent shares the gradient's pass; each must
 * give these bits exactly. */
static void ref_grad_xent(double *g, double *xent, const softmax_model *m, const double *phi, const int *y, size_t n)
{
    size_t k = m->k, f = m->f, nb = (n + 1023) / 1024;
    double *part = calloc(nb * k * f, sizeof *part), total = 0.0;
    for (size_t i = 0; i < n; i++) {
        double z[64] = {0}, q[64] = {0}, mx, s = 0.0;
        const double *x = phi + i * f;
        for (size_t c = 0; c < k; c++) {
            z[c] = 0.0;
            for (size_t j = 0; j < f; j++) z[c] += m->w[c * f + j] * x[j];
        }
        mx = z[0];
        for (size_t c = 1; c < k; c++) mx = z[c] > mx ? z[c] : mx;
        for (size_t c = 0; c < k; c++) {
            double d = z[c] - mx;
            vmath_exp(&q[c], &d, 1); /* the library's exp, one element at a time */
            s += q[c];
        }
        total += mx + log(s) - z[y[i]];
        double inv = 1.0 / s;
        for (size_t c = 0; c < k; c++) q[c] *= inv;
        q[y[i]] -= 1.0;
        for (size_t c = 0; c < k; c++)
            for (size_t j = 0; j < f; j++) part[i / 1024 * k * f + c * f + j] += q[c] * x[j];
    }
    for (size_t t = 0; t < k * f; t++) g[t] = 0.0;
    for (size_t b = 0; b < nb; b++)
        for (size_t t = 0; t < k * f; t++) g[t] += part[b * k * f + t];
    for (size_t t = 0; t < k * f; t++) g[t] /= (double)n;
    *xent = total / (double)n;
    free(part);
}

Test(softmax, fast_paths_match_the_plain_loops_bitwise)
{
    enum { N = 2500 }; /* three blocks, the last one partial */
    static const int shapes[3][2] = {{3, 6}, {3, 3}, {4, 5}};
    double *phi = malloc(N * 6 * sizeof *phi);
    int *y = malloc(N * sizeof *y);
    for (int s = 0; s < 3; s++) {
        int K = shapes[s][0], F = shapes[s][1];
        make_data(phi, y, N, F, K, 40 + s);
        softmax_model m;
        softmax_model_init(&m, K, F);
        rng_stream r;
        rng_init(&r, 41, (uint32_t)s, 0);
        for (int t = 0; t < K * F; t++) m.w[t] = rng_normal(&r);
        double g0[64], g1[64], g2[64], x0, x1, x2;
        ref_grad_xent(g0, &x0, &m, phi, y, N);
        softmax_model_grad(g1, &m, phi, y, N);
        x1 = softmax_model_xent(&m, phi, y, N, NULL);
        x2 = softmax_model_grad_xent(g2, &m, phi, y, N);
        cr_assert(memcmp(g0, g1, (size_t)(K * F) * sizeof *g0) == 0, "shape %dx%d: gradient differs", K, F);
        cr_assert(memcmp(g0, g2, (size_t)(K * F) * sizeof *g0) == 0, "shape %dx%d: grad_xent's gradient differs", K, F);
        cr_assert(x0 == x1 && x0 == x2, "shape %dx%d: cross-entropy %.17g %.17g %.17g", K, F, x0, x1, x2);
        softmax_model_clear(&m);
    }
    free(phi);
    free(y);
}

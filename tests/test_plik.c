/* plik: gradient by finite differences on both routes, the two routes
 * against each other, and recovery of a known coupling from exact samples. */
#include "plik.h"
#include "rng.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>

static int8_t *random_spins(size_t N, int n, uint64_t seed)
{
    int8_t *s = malloc(N * (size_t)n);
    rng_stream r;
    rng_init(&r, seed, 0, 0);
    for (size_t t = 0; t < N * (size_t)n; t++) s[t] = rng_bernoulli(&r, 0.6) ? 1 : -1;
    return s;
}

static void check_gradient(const plik_param *p, const int8_t *s, size_t N, const char *what)
{
    double *th = malloc((size_t)p->npar * sizeof *th), *g = malloc((size_t)p->npar * sizeof *g);
    rng_stream r;
    rng_init(&r, 77, 0, 0);
    for (int q = 0; q < p->npar; q++) th[q] = 0.3 * rng_normal(&r);
    plik_data d;
    cr_assert(plik_data_init(&d, p, s, N) == 0);
    plik_objective(g, p, th, &d, 0.01);
    /* central differences: truncation h^2 |f'''| / 6 and rounding eps |f| / h; both < 1e-8 at h = 1e-5 */
    const double h = 1e-5;
    for (int q = 0; q < p->npar; q += 1 + p->npar / 12) {
        double t0 = th[q];
        th[q] = t0 + h;
        double fp = plik_objective(NULL, p, th, &d, 0.01);
        th[q] = t0 - h;
        double fm = plik_objective(NULL, p, th, &d, 0.01);
        th[q] = t0;
        cr_assert(fabs((fp - fm) / (2 * h) - g[q]) < 1e-7, "%s param %d: fd %.10g vs %.10g", what, q, (fp - fm) / (2 * h), g[q]);
    }
    plik_data_clear(&d);
    free(th);
    free(g);
}

Test(plik, gradients_match_finite_differences)
{
    int8_t *s = random_spins(300, 16, 5);
    plik_param all, nn, one;
    cr_assert(plik_param_init_all(&all, 16) == 0 && plik_param_init_nn(&nn, 4, 0) == 0 &&
              plik_param_init_nn(&one, 4, 1) == 0);
    check_gradient(&all, s, 300, "all pairs (dense)");
    check_gradient(&nn, s, 300, "nn (sparse)");
    check_gradient(&one, s, 300, "shared");
    plik_param_clear(&all); plik_param_clear(&nn); plik_param_clear(&one);
    free(s);
}

Test(plik, dense_and_sparse_routes_agree)
{
    /* the same couplings through the all-pairs (dense BLAS) and the NN (sparse) route */
    int L = 4, n = 16;
    int8_t *s = random_spins(500, n, 6);
    plik_param all, nn;
    plik_param_init_all(&all, n);
    plik_param_init_nn(&nn, L, 0);
    double *ta = calloc((size_t)all.npar, sizeof *ta), *tn = malloc((size_t)nn.npar * sizeof *tn);
    rng_stream r;
    rng_init(&r, 8, 0, 0);
    for (int k = 0; k < nn.npairs; k++) {
        tn[k] = rng_normal(&r);
        int i = nn.pi[k] < nn.pj[k] ? nn.pi[k] : nn.pj[k], j = nn.pi[k] ^ nn.pj[k] ^ i;
        ta[i * n - i * (i + 1) / 2 + (j - i - 1)] = tn[k]; /* index of pair (i, j) in the all-pairs order */
    }
    plik_data da, dn;
    cr_assert(plik_data_init(&da, &all, s, 500) == 0 && plik_data_init(&dn, &nn, s, 500) == 0);
    double fa = plik_objective(NULL, &all, ta, &da, 0.0), fn = plik_objective(NULL, &nn, tn, &dn, 0.0);
    plik_data_clear(&da);
    plik_data_clear(&dn);
    cr_assert(fabs(fa - fn) < 1e-12 * fabs(fa), "%.15g vs %.15g", fa, fn);
    free(ta); free(tn); free(s);
    plik_param_clear(&all); plik_param_clear(&nn);
}

Test(plik, recovers_a_known_coupling_from_exact_samples, .timeout = 60)
{
    /* 3 x 3 torus, K = 0.3: exact Boltzmann samples by inverting the CDF over 512 states */
    const int L = 3, n = 9;
    const double K = 0.3;
    plik_param one, nn;
    plik_param_init_nn(&one, L, 1);
    plik_param_init_nn(&nn, L, 0);
    double w[512], z = 0.0;
    for (int st = 0; st < 512; st++) {
        double e = 0.0;
        for (int k = 0; k < one.npairs; k++)
            e += ((st >> one.pi[k]) & 1 ? 1 : -1) * ((st >> one.pj[k]) & 1 ? 1 : -1);
        w[st] = exp(K * e);
        z += w[st];
    }
    const size_t N = 100000;
    int8_t *s = malloc(N * n);
    rng_stream r;
    rng_init(&r, 9, 0, 0);
    for (size_t a = 0; a < N; a++) {
        double u = rng_uniform(&r) * z, acc = 0.0;
        int st = 511;
        for (int t = 0; t < 512; t++) { acc += w[t]; if (u < acc) { st = t; break; } }
        for (int i = 0; i < n; i++) s[a * n + i] = (st >> i) & 1 ? 1 : -1;
    }
    double th = 0.0;
    plik_fit_info info;
    plik_data d1, dn;
    cr_assert(plik_data_init(&d1, &one, s, N) == 0 && plik_data_init(&dn, &nn, s, N) == 0);
    plik_fit(&th, &info, &one, &d1, 1.0 / N, 1e-10, 100);
    /* the shared-coupling PL has Fisher information >= 1 per sample, so its
     * standard error is <= 1/sqrt(N) = 0.003; allow 5 of them */
    cr_assert(info.converged, "not converged: |g| = %g", info.gnorm);
    cr_assert(fabs(th - K) < 5.0 / sqrt((double)N), "K = %g", th);
    /* bond by bond: each of 18 bonds within 0.05 */
    double *tb = calloc((size_t)nn.npar, sizeof *tb);
    plik_fit(tb, &info, &nn, &dn, 1.0 / N, 1e-8, 500);
    cr_assert(info.converged);
    for (int q = 0; q < nn.npar; q++) cr_assert(fabs(tb[q] - K) < 0.05, "bond %d: %g", q, tb[q]);
    /* held-out: the true K scores at least as well as K = 0 */
    double kt = K, k0 = 0.0;
    cr_assert(plik_mean_logpl(&one, &kt, &d1) > plik_mean_logpl(&one, &k0, &d1));
    /* the pattern-count route equals the per-sample dense route on the same data */
    plik_param all;
    plik_param_init_all(&all, n);
    plik_data da;
    cr_assert(plik_data_init(&da, &all, s, N) == 0);
    double *ta = calloc((size_t)all.npar, sizeof *ta);
    for (int k = 0; k < all.npar; k++) {
        for (int q = 0; q < nn.npairs; q++)
            if ((nn.pi[q] == all.pi[k] && nn.pj[q] == all.pj[k]) || (nn.pj[q] == all.pi[k] && nn.pi[q] == all.pj[k])) ta[k] = tb[q];
    }
    double fa = plik_objective(NULL, &all, ta, &da, 0.0), fs = plik_objective(NULL, &nn, tb, &dn, 0.0);
    cr_assert(fabs(fa - fs) < 1e-12 * fabs(fa), "%.15g vs %.15g", fa, fs);
    plik_data_clear(&da); plik_data_clear(&d1); plik_data_clear(&dn);
    plik_param_clear(&all);
    free(ta); free(tb); free(s);
    plik_param_clear(&one); plik_param_clear(&nn);
}

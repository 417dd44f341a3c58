/* msrg: greedy stacking against training the layers by hand, receptive
 * fields against explicit products, thread-count independence. */
#include "msrg.h"
#include "rbm.h"
#include "rfield.h"
#include "rng.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

static const int sizes[4] = {64, 16, 8, 4};
static const rbm_train_opts opts = {.k = 1, .batch = 20, .epochs = 3, .lr0 = 0.1, .lr1 = 0.01,
                                    .l1 = 1e-3, .momentum = 0.5};

/* 8 x 8 bit patterns: random vertical or horizontal stripes of width 2. */
static float *stripes(int n)
{
    rng_stream r;
    rng_init(&r, 11, 0, 0);
    float *d = malloc(sizeof(float) * (size_t)n * 64);
    for (int k = 0; k < n; k++) {
        int vert = rng_bernoulli(&r, 0.5), ph = (int)rng_below(&r, 4);
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++) d[k * 64 + y * 8 + x] = (float)((((vert ? x : y) + ph) / 2) % 2);
    }
    return d;
}

Test(msrg, stack_equals_layers_trained_by_hand)
{
    int n = 100;
    float *d = stripes(n);
    rbm_model st[3], hand[3];
    cr_assert(msrg_train_stack(st, sizes, 3, d, (size_t)n, &opts, 0.05, 9, 40) == 0);
    const float *x = d;
    float *h = NULL;
    for (int l = 0; l < 3; l++) {
        rng_stream r;
        rng_init(&r, 9, 40 + (uint32_t)l, 99);
        cr_assert(rbm_model_init(&hand[l], sizes[l], sizes[l + 1]) == 0);
        rbm_init_normal(&hand[l], &r, 0.05);
        cr_assert(rbm_train(&hand[l], x, (size_t)n, &opts, 9, 40 + (uint32_t)l) == 0);
        float *nh = malloc(sizeof(float) * (size_t)n * sizes[l + 1]);
        rbm_hidden_prob(nh, &hand[l], x, (size_t)n);
        free(h);
        x = h = nh;
        cr_assert(memcmp(st[l].W, hand[l].W, sizeof(float) * sizes[l] * sizes[l + 1]) == 0, "layer %d", l);
    }
    free(h);
    for (int l = 0; l < 3; l++) { rbm_model_clear(&st[l]); rbm_model_clear(&hand[l]); }
    free(d);
}

Test(msrg, fields_are_products_of_the_weights)
{
    rbm_model m[3];
    rng_stream r;
    rng_init(&r, 4, 0, 0);
    for (int l = 0; l < 3; l++) {
        cr_assert(rbm_model_init(&m[l], sizes[l], sizes[l + 1]) == 0);
        rbm_init_normal(&m[l], &r, 1.0);
    }
    for (int l = 0; l < 3; l++) {
        double *f = malloc(sizeof(double) * sizes[l + 1] * 64);
        cr_assert(msrg_fields(f, m, l) == 0);
        for (int j = 0; j < sizes[l + 1]; j++)
            for (int v = 0; v < 64; v++) { // sum over paths, recursively by layers
                double acc[64] = {0}, nx[64];
                acc[v] = 1;
                for (int k = 0; k <= l; k++) {
                    for (int a = 0; a < sizes[k + 1]; a++) {
                        nx[a] = 0;
                        for (int b = 0; b < sizes[k]; b++) nx[a] += (double)m[k].W[a * sizes[k] + b] * acc[b];
                    }
                    memcpy(acc, nx, sizeof(double) * sizes[k + 1]);
                }
                double got = f[j * 64 + v];
                cr_assert(fabs(got - acc[j]) <= 1e-9 * (1 + fabs(acc[j])), "layer %d unit %d site %d: %g vs %g",
                          l, j, v, got, acc[j]);
            }
        // spreads: the measured rg is rfield_spread's; the null keeps the weights
        double rg[8], nul[8];
        msrg_spreads(rg, nul, f, sizes[l + 1] < 8 ? sizes[l + 1] : 8, 8, 1, 2);
        for (int j = 0; j < (sizes[l + 1] < 8 ? sizes[l + 1] : 8); j++) {
            cr_assert(rg[j] == rfield_spread(f + j * 64, 8).rg);
            cr_assert(nul[j] > 0 && nul[j] < 8, "null rg %g", nul[j]);
        }
        free(f);
    }
    for (int l = 0; l < 3; l++) rbm_model_clear(&m[l]);
}

Test(msrg, same_stack_for_one_and_two_threads)
{
    int n = 60;
    float *d = stripes(n);
    rbm_model a[2][3];
    rbm_blas_single_thread();
    for (int t = 1; t <= 2; t++) {
        omp_set_num_threads(t);
        #pragma omp parallel for schedule(dynamic, 1)
        for (int c = 0; c < 2; c++) msrg_train_stack(a[c], sizes, 3, d, (size_t)n, &opts, 0.05, 3, 10 * (uint32_t)c);
        static float keep[2][64 * 16];
        for (int c = 0; c < 2; c++) {
            if (t == 1) memcpy(keep[c], a[c][0].W, sizeof keep[c]);
            else cr_assert(memcmp(keep[c], a[c][0].W, sizeof keep[c]) == 0, "cell %d", c);
            for (int l = 0; l < 3; l++) rbm_model_clear(&a[c][l]);
        }
    }
    omp_set_num_threads(1);
    free(d);
}

/* The curves: every layer's held-out error is recorded before each epoch and after the last,
 * and falls on a learnable pattern; a one-epoch stack equals rbm_train by hand with the
 * same initialization, cell and rates (the epoch-by-epoch path adds nothing else). */
Test(msrg, curves_record_a_falling_heldout_error)
{
    int n = 100;
    float *d = stripes(n + 40);
    rbm_model st[3], hand;
    rbm_train_opts o = opts;
    o.epochs = 6;
    double curve[3 * 7];
    cr_assert(msrg_train_stack_curves(st, curve, sizes, 3, d, (size_t)n, d + (size_t)n * 64, 40, &o, 0.05, 9, 40) == 0);
    for (int l = 0; l < 3; l++)
        for (int e = 0; e <= 6; e++) cr_assert(isfinite(curve[l * 7 + e]) && curve[l * 7 + e] >= 0);
    cr_assert(curve[6] < 0.9 * curve[0], "layer 1 did not learn: %g -> %g", curve[0], curve[6]);
    /* epoch 0 by hand: the same init, one epoch, rates of steps 0..nb-1 of the 6-epoch schedule */
    rng_stream r;
    rng_init(&r, 9, 40, 99);
    cr_assert(rbm_model_init(&hand, 64, 16) == 0);
    rbm_init_normal(&hand, &r, 0.05);
    rbm_train_opts oe = o;
    long nb = n / o.batch, T = nb * o.epochs;
    oe.epochs = 1, oe.lr1 = o.lr0 + (o.lr1 - o.lr0) * (double)(nb - 1) / (double)(T - 1);
    cr_assert(rbm_train(&hand, d, (size_t)n, &oe, 9, 40) == 0);
    rbm_model one[3]; /* a one-layer, one-epoch stack with those rates: the same seed, cell and steps */
    cr_assert(msrg_train_stack_curves(one, curve, sizes, 1, d, (size_t)n, d + (size_t)n * 64, 40, &oe, 0.05, 9, 40) == 0);
    cr_assert(memcmp(one[0].W, hand.W, sizeof(float) * 64 * 16) == 0, "epoch-by-epoch training differs from rbm_train");
    rbm_model_clear(&one[0]);
    rbm_model_clear(&hand);
    for (int l = 0; l < 3; l++) rbm_model_clear(&st[l]);
    free(d);
}

/* Near copies: a field, a scaled copy (cosine 1), a slightly perturbed copy (cosine > 0.95),
 * an orthogonal field and a zero field: the copies are flagged, the rest kept. */
Test(msrg, copies_flag_near_copies_only)
{
    double f[5][16] = {{0}};
    for (int i = 0; i < 16; i++) {
        f[0][i] = i < 8 ? 1 : 0;
        f[1][i] = 3 * f[0][i];
        f[2][i] = f[0][i] + (i == 8 ? 0.2 : 0);
        f[3][i] = i < 8 ? 0 : 1;
    }
    int copy[5];
    cr_assert(msrg_copies(copy, &f[0][0], 5, 16, 0.95) == 2);
    cr_assert(copy[0] == 0 && copy[1] == 1 && copy[2] == 1 && copy[3] == 0 && copy[4] == 0);
    f[2][9] = f[2][10] = f[2][11] = 1; /* cosine 8 / sqrt(8 * 11.04) = 0.85: kept */
    cr_assert(msrg_copies(copy, &f[0][0], 5, 16, 0.95) == 1 && copy[2] == 0);
}

/* The Gaussian null: bits of the clipped field have the two-point function they were built
 * from (arcsine law), here that of a smooth field on 16 x 16, within sampling error; the
 * two-point function of independent fair bits is 1 at 0 and about 0 elsewhere. */
Test(msrg, gauss_bits_keep_the_two_point_function)
{
    int L = 16, N = 256, n = 2000;
    double C[256], got[256];
    for (int y = 0; y < L; y++)
        for (int x = 0; x < L; x++) {
            double dx = fmin(x, L - x), dy = fmin(y, L - y);
            C[y * L + x] = exp(-sqrt(dx * dx + dy * dy) / 3);
        }
    float *v = malloc(sizeof(float) * (size_t)n * N);
    cr_assert(msrg_gauss_bits(v, C, (size_t)n, L, 5, 7) == 0);
    msrg_two_point(got, v, (size_t)n, L);
    double worst = 0;
    for (int i = 0; i < N; i++) worst = fmax(worst, fabs(got[i] - C[i]));
    cr_assert(fabs(got[0] - 1) < 1e-9, "C(0) = %g", got[0]);
    cr_assert(worst < 0.05, "two-point function off by %g", worst);
    cr_assert(got[1] > 0.6, "C(1) = %g, wanted %g", got[1], C[1]);
    rng_stream r;
    rng_init(&r, 5, 8, 0);
    for (size_t i = 0; i < (size_t)n * N; i++) v[i] = (float)rng_bernoulli(&r, 0.5);
    msrg_two_point(got, v, (size_t)n, L);
    cr_assert(fabs(got[1]) < 0.02 && fabs(got[17]) < 0.02, "white bits: C(1) = %g", got[1]);
    free(v);
}

/* PCA: rows along two fixed orthogonal directions with variances 9 and 1 plus small noise:
 * the first component is the first direction, the second the second. */
Test(msrg, pca_finds_the_directions)
{
    int nv = 16, n = 500;
    float *d = malloc(sizeof(float) * (size_t)n * nv);
    double e1[16], e2[16], out[2 * 16];
    for (int i = 0; i < nv; i++) e1[i] = (i < 8 ? 1 : -1) / 4.0, e2[i] = (i % 2 ? 1 : -1) / 4.0;
    rng_stream r;
    rng_init(&r, 3, 0, 0);
    for (int k = 0; k < n; k++) {
        double a = 3 * rng_normal(&r), b = rng_normal(&r);
        for (int i = 0; i < nv; i++) d[k * nv + i] = (float)(a * e1[i] + b * e2[i] + 0.01 * rng_normal(&r));
    }
    cr_assert(msrg_pca(out, 2, d, (size_t)n, nv) == 0);
    double c1 = 0, c2 = 0;
    for (int i = 0; i < nv; i++) c1 += out[i] * e1[i], c2 += out[nv + i] * e2[i];
    cr_assert(fabs(fabs(c1) - 1) < 1e-3 && fabs(fabs(c2) - 1) < 1e-3, "overlaps %g %g", c1, c2);
    free(d);
}

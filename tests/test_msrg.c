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

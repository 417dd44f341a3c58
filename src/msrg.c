/* Chapter 5 (MS-2): stacked RBMs and receptive-field locality. */
#include "msrg.h"

#include "rfield.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>

/* listing: msrg-stack */
int msrg_train_stack(rbm_model *layers, const int *sizes, int depth, const float *data,
                     size_t n, const rbm_train_opts *o, double init_sd, uint64_t seed,
                     uint32_t cell0)
{
    const float *x = data;
    float *next = NULL;
    for (int l = 0; l < depth; l++) {
        rng_stream r;
        rng_init(&r, seed, cell0 + (uint32_t)l, 99);
        if (rbm_model_init(&layers[l], sizes[l], sizes[l + 1]) != 0) goto fail;
        rbm_init_normal(&layers[l], &r, init_sd);
        if (rbm_train(&layers[l], x, n, o, seed, cell0 + (uint32_t)l) != 0) goto fail;
        if (l + 1 == depth) break;
        /* greedy: the next layer's data are this layer's hidden probabilities */
        float *h = malloc(n * (size_t)sizes[l + 1] * sizeof *h);
        if (!h) goto fail;
        rbm_hidden_prob(h, &layers[l], x, n);
        free(next);
        next = h;
        x = h;
    }
    free(next);
    return 0;
fail:
    free(next);
    return -1;
}
/* end: msrg-stack */

int msrg_fields(double *out, const rbm_model *layers, int l)
{
    int sizes[16];
    const double *W[15];
    double *buf[15] = {0};
    int rc = -1;
    if (l < 0 || l >= 15) return -1;
    for (int k = 0; k <= l; k++) {
        size_t nw = (size_t)layers[k].nh * (size_t)layers[k].nv;
        sizes[k] = layers[k].nv;
        sizes[k + 1] = layers[k].nh;
        if (!(buf[k] = malloc(nw * sizeof *buf[k]))) goto done;
        for (size_t i = 0; i < nw; i++) buf[k][i] = layers[k].W[i];
        W[k] = buf[k];
    }
    rc = rfield_compose(out, W, sizes, l + 1);
done:
    for (int k = 0; k <= l; k++) free(buf[k]);
    return rc;
}

void msrg_spreads(double *rg, double *rg_null, const double *f, int nf, int L,
                  uint64_t seed, uint32_t cell)
{
    size_t N = (size_t)L * (size_t)L;
    double *tmp = malloc(N * sizeof *tmp);
    rng_stream r;
    rng_init(&r, seed, cell, 7);
    for (int j = 0; j < nf; j++) {
        rg[j] = rfield_spread(f + (size_t)j * N, L).rg;
        rg_null[j] = tmp ? rfield_spread_permuted(f + (size_t)j * N, L, tmp, &r) : NAN;
    }
    free(tmp);
}

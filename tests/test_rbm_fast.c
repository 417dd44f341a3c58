/* rbm_fast: the engine's fast paths against their scalar references, bit for
 * bit: the bulk Philox words (rng_u32_fill) against rng_u32, the bulk
 * Bernoulli samples against the scalar loop, the fused CD-k gradient and the
 * deep samplers against sgemm + nn_logisticf + one rng_uniformf per unit. */
#include "nn.h"
#include "rbm.h"

#include <cblas.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

Test(rbm_fast, u32_fill_matches_scalar_stream)
{
    static const size_t lens[] = {0, 1, 3, 4, 5, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000, 4099};
    static const uint64_t starts[] = {0, 7, 0xFFFFFFFFull - 5, 0xFFFFFFFFull - 20}; /* the last two carry */
    uint32_t got[4099], want[4099];
    for (size_t si = 0; si < sizeof starts / sizeof *starts; si++)
        for (int skip = 0; skip < 4; skip++)
            for (size_t li = 0; li < sizeof lens / sizeof *lens; li++) {
                rng_stream a, b;
                rng_init(&a, 0x1234567890abcdefull, 17, 3);
                rng_seek(&a, starts[si]);
                for (int s = 0; s < skip; s++) rng_u32(&a);
                b = a;
                size_t n = lens[li];
                rng_u32_fill(&a, got, n);
                for (size_t i = 0; i < n; i++) want[i] = rng_u32(&b);
                cr_assert(memcmp(got, want, n * sizeof *got) == 0, "start %zu skip %d n %zu", si, skip, n);
                /* the stream continues where n scalar calls leave it */
                for (int i = 0; i < 9; i++) cr_assert(eq(u32, rng_u32(&a), rng_u32(&b)), "after n %zu", n);
                cr_assert(a.ctr[0] == b.ctr[0] && a.ctr[1] == b.ctr[1] && a.used == b.used);
            }
}

Test(rbm_fast, bernoulli_matches_scalar_loop)
{
    enum { N = 5000 };
    float *p = malloc(N * sizeof *p), *x = malloc(N * sizeof *x);
    rng_stream r, q;
    rng_init(&r, 5, 1, 2);
    for (int i = 0; i < N; i++) p[i] = (float)rng_uniform(&r);
    p[0] = 0.0f, p[1] = 1.0f;
    rng_init(&r, 9, 4, 1);
    rng_u32(&r); /* start inside a block */
    q = r;
    rbm_bernoulli(x, p, N, &r);
    int ones = 0;
    for (int i = 0; i < N; i++) {
        float want = rng_uniformf(&q) < p[i] ? 1.0f : 0.0f;
        cr_assert(x[i] == want, "element %d", i);
        ones += x[i] == 1.0f;
    }
    cr_assert(x[0] == 0.0f && x[1] == 1.0f);
    cr_assert(ones > N / 2 - 200 && ones < N / 2 + 200, "%d ones", ones); /* mean of p is 1/2 */
    cr_assert(eq(u32, rng_u32(&r), rng_u32(&q)));
    free(p);
    free(x);
}

/* The pre-fusion engine: o = logistic(x M + bias) with one sgemm, then
 * Bernoulli samples one rng_uniformf at a time. */
static void ref_prob(float *o, const float *x, const float *W, const float *bias, int n, int nv, int nh, int up)
{
    if (up)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, nh, nv, 1.0f, x, nv, W, nv, 0.0f, o, nh);
    else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, nv, nh, 1.0f, x, nh, W, nv, 0.0f, o, nv);
    int w = up ? nh : nv;
    for (int r = 0; r < n; r++)
        for (int j = 0; j < w; j++) o[r * w + j] = nn_logisticf(o[r * w + j] + bias[j]);
}

static void ref_sample(float *x, const float *p, size_t n, rng_stream *r)
{
    for (size_t i = 0; i < n; i++) x[i] = rng_uniformf(r) < p[i] ? 1.0f : 0.0f;
}

static void ref_grad_cd(rbm_model *g, const rbm_model *m, const float *v0, int B, int k, rng_stream *r)
{
    int nv = m->nv, nh = m->nh;
    float *ph0 = malloc(sizeof(float) * B * nh), *phk = malloc(sizeof(float) * B * nh),
          *h = malloc(sizeof(float) * B * nh), *pv = malloc(sizeof(float) * B * nv), *vk = malloc(sizeof(float) * B * nv);
    ref_prob(ph0, v0, m->W, m->c, B, nv, nh, 1);
    ref_sample(h, ph0, (size_t)B * nh, r);
    for (int s = 0; s < k; s++) {
        ref_prob(pv, h, m->W, m->b, B, nv, nh, 0);
        ref_sample(vk, pv, (size_t)B * nv, r);
        ref_prob(phk, vk, m->W, m->c, B, nv, nh, 1);
        if (s + 1 < k) ref_sample(h, phk, (size_t)B * nh, r);
    }
    float a = 1.0f / (float)B;
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nh, nv, B, a, ph0, nh, v0, nv, 0.0f, g->W, nv);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nh, nv, B, -a, phk, nh, vk, nv, 1.0f, g->W, nv);
    memset(g->b, 0, sizeof(float) * nv);
    memset(g->c, 0, sizeof(float) * nh);
    for (int q = 0; q < B; q++) {
        for (int i = 0; i < nv; i++) g->b[i] += a * (v0[q * nv + i] - vk[q * nv + i]);
        for (int j = 0; j < nh; j++) g->c[j] += a * (ph0[q * nh + j] - phk[q * nh + j]);
    }
    free(ph0), free(phk), free(h), free(pv), free(vk);
}

static int same_floats(const float *a, const float *b, size_t n) { return memcmp(a, b, n * sizeof *a) == 0; }

Test(rbm_fast, cd_gradient_matches_reference)
{
    static const int shapes[][3] = {{16, 8, 1}, {64, 64, 1}, {64, 256, 3}, {37, 19, 10}}; /* nv, nh, k */
    rbm_blas_single_thread();
    for (size_t si = 0; si < sizeof shapes / sizeof *shapes; si++) {
        int nv = shapes[si][0], nh = shapes[si][1], k = shapes[si][2], B = 50;
        rbm_model m, g1, g2;
        rng_stream r, r2;
        rng_init(&r, 11, (uint32_t)si, 0);
        cr_assert(rbm_model_init(&m, nv, nh) == 0 && rbm_model_init(&g1, nv, nh) == 0 && rbm_model_init(&g2, nv, nh) == 0);
        rbm_init_normal(&m, &r, 1.0 / 4);
        for (int i = 0; i < nv; i++) m.b[i] = (float)(0.3 * rng_normal(&r));
        for (int j = 0; j < nh; j++) m.c[j] = (float)(0.3 * rng_normal(&r));
        float *v0 = malloc(sizeof(float) * B * nv);
        for (int i = 0; i < B * nv; i++) v0[i] = (float)(rng_u32(&r) & 1);
        rng_u32(&r);
        r2 = r;
        cr_assert(rbm_grad_cd(&g1, &m, v0, (size_t)B, k, &r) == 0);
        ref_grad_cd(&g2, &m, v0, B, k, &r2);
        cr_assert(same_floats(g1.W, g2.W, (size_t)nv * nh), "W, shape %zu", si);
        cr_assert(same_floats(g1.b, g2.b, (size_t)nv) && same_floats(g1.c, g2.c, (size_t)nh), "biases, shape %zu", si);
        cr_assert(eq(u32, rng_u32(&r), rng_u32(&r2)), "random words used, shape %zu", si);
        int nonzero = 0;
        for (int i = 0; i < nv * nh; i++) nonzero += g1.W[i] != 0;
        cr_assert(nonzero > nv * nh / 2); /* a gradient, not zeros on both sides */
        free(v0);
        rbm_model_clear(&m), rbm_model_clear(&g1), rbm_model_clear(&g2);
    }
}

/* One reference sampling step, as rbm_deep_step documents it, with
 * rbm_deep_cond and scalar Bernoulli samples. */
static void ref_step(const rbm_deep *d, float *const *x, size_t chains, rng_stream *r)
{
    float *p = malloc(sizeof(float) * chains * 256);
    if (d->kind == RBM_KIND_DBM) {
        for (int par = 1; par >= 0; par--)
            for (int l = par; l <= d->nl; l += 2) {
                rbm_deep_cond(p, d, l, 0, x, chains);
                ref_sample(x[l], p, chains * d->sizes[l], r);
            }
    } else {
        int lo = d->kind == RBM_KIND_DRBN ? 1 : d->nl;
        for (int l = lo; l <= d->nl; l++) {
            rbm_deep_cond(p, d, l, -1, x, chains);
            ref_sample(x[l], p, chains * d->sizes[l], r);
        }
        for (int l = d->nl - 1; l >= 0; l--) {
            rbm_deep_cond(p, d, l, +1, x, chains);
            ref_sample(x[l], p, chains * d->sizes[l], r);
        }
    }
    free(p);
}

Test(rbm_fast, deep_samplers_match_reference)
{
    enum { CH = 70, STEPS = 6 };
    const int sizes[3] = {24, 40, 9};
    rbm_blas_single_thread();
    for (int kind = 0; kind < RBM_KIND_COUNT; kind++) {
        rbm_deep d;
        int nl = kind == RBM_KIND_RBM ? 1 : 2;
        cr_assert(rbm_deep_init(&d, (rbm_kind)kind, nl, sizes) == 0);
        rng_stream r;
        rng_init(&r, 21, (uint32_t)kind, 0);
        for (int l = 0; l < nl; l++) {
            rbm_init_normal(&d.layer[l], &r, 0.5);
            for (int i = 0; i < sizes[l]; i++) d.layer[l].b[i] = (float)(0.2 * rng_normal(&r));
            for (int j = 0; j < sizes[l + 1]; j++) d.layer[l].c[j] = (float)(0.2 * rng_normal(&r));
        }
        float *xa[3] = {0}, *xb[3] = {0};
        for (int l = 0; l <= nl; l++) {
            xa[l] = malloc(sizeof(float) * CH * sizes[l]);
            xb[l] = malloc(sizeof(float) * CH * sizes[l]);
            for (int i = 0; i < CH * sizes[l]; i++) xa[l][i] = xb[l][i] = (float)(rng_u32(&r) & 1);
        }
        rng_stream ra = r, rb = r;
        for (int s = 0; s < STEPS; s++) {
            rbm_deep_step(&d, xa, CH, &ra);
            ref_step(&d, xb, CH, &rb);
            for (int l = 0; l <= nl; l++)
                cr_assert(same_floats(xa[l], xb[l], (size_t)CH * sizes[l]), "%s step %d layer %d",
                          rbm_kind_name((rbm_kind)kind), s, l);
        }
        /* rbm_deep_sample: uniform random starting bits (rng_u32 & 1), then the steps */
        float *out = malloc(sizeof(float) * CH * sizes[0]);
        cr_assert(rbm_deep_sample(out, &d, CH, STEPS, 5, 3) == 0);
        rng_init(&rb, 5, 3, 0x5a3);
        for (int l = 0; l <= nl; l++)
            for (int i = 0; i < CH * sizes[l]; i++) xb[l][i] = (float)(rng_u32(&rb) & 1);
        for (int s = 0; s < STEPS; s++) ref_step(&d, xb, CH, &rb);
        cr_assert(same_floats(out, xb[0], (size_t)CH * sizes[0]), "rbm_deep_sample %s", rbm_kind_name((rbm_kind)kind));
        free(out);
        for (int l = 0; l <= nl; l++) free(xa[l]), free(xb[l]);
        rbm_deep_clear(&d);
    }
}

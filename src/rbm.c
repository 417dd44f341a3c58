/* rbm: binary RBMs, DBN, DBM, DRBN; exact evaluation by enumeration. */
#include "rbm.h"

#include "nn.h"
#include "nn_fast.h" /* the logistic, inline so the sampling loops vectorize; model files depend on its roundings */
#include "binio.h"

#include <cblas.h>
#if defined(__AVX512F__)
#include <immintrin.h>
#endif
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void rbm_blas_single_thread(void) { nn_blas_single_thread(); }

static void blas_guard(void)
{
    if (!omp_in_parallel()) nn_blas_single_thread();
}

int rbm_model_init(rbm_model *m, int nv, int nh)
{
    memset(m, 0, sizeof *m);
    if (nv < 1 || nh < 1) return -1;
    m->nv = nv;
    m->nh = nh;
    m->W = calloc((size_t)nv * nh, sizeof *m->W);
    m->b = calloc((size_t)nv, sizeof *m->b);
    m->c = calloc((size_t)nh, sizeof *m->c);
    if (!m->W || !m->b || !m->c) {
        rbm_model_clear(m);
        return -1;
    }
    return 0;
}

void rbm_model_clear(rbm_model *m)
{
    free(m->W);
    free(m->b);
    free(m->c);
    memset(m, 0, sizeof *m);
}

void rbm_init_normal(rbm_model *m, rng_stream *r, double sd)
{
    for (size_t i = 0; i < (size_t)m->nv * m->nh; i++) m->W[i] = (float)(sd * rng_normal(r));
    memset(m->b, 0, (size_t)m->nv * sizeof *m->b);
    memset(m->c, 0, (size_t)m->nh * sizeof *m->c);
}

int rbm_model_init_copy(rbm_model *dst, const rbm_model *src)
{
    if (rbm_model_init(dst, src->nv, src->nh)) return -1;
    memcpy(dst->W, src->W, (size_t)src->nv * src->nh * sizeof *dst->W);
    memcpy(dst->b, src->b, (size_t)src->nv * sizeof *dst->b);
    memcpy(dst->c, src->c, (size_t)src->nh * sizeof *dst->c);
    return 0;
}

/* --- conditionals ------------------------------------------------------------- */

/* 512-bit vectors where the machine has them (GCC otherwise prefers 256):
 * the same operations per element, so the same results. */
#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
#define RBM_WIDE __attribute__((target("prefer-vector-width=512")))
#else
#define RBM_WIDE
#endif

/* out[r, :] = logistic(out[r, :] + bias) */
RBM_WIDE static void add_bias_logistic(float *out, const float *bias, size_t n, int w)
{
    for (size_t r = 0; r < n; r++) {
        float *o = out + r * w;
        #pragma omp simd
        for (int j = 0; j < w; j++) o[j] = nn_logisticf_fast(o[j] + bias[j]);
    }
}

/* listing: bulkrng */
// Bernoulli samples in bulk.  The uniforms are the words rng_u32 would hand
// out, in the same order (so every result is the one of the scalar loop
// x[i] = rng_uniformf(r) < p[i]), but rng_u32_fill computes the Philox
// blocks side by side, one counter per SIMD lane (AVX2: 8, AVX-512: 16).
enum { RBM_CHUNK = 1024, RBM_NARROW = 64 };

#if defined(__AVX512F__)
/* logisticf on 16 lanes: the same float operations in the same order (max
 * and min with the bound first are the ternaries' clamps, NaN included). */
static inline __m512 logistic16(__m512 z)
{
    const __m512 h = _mm512_set1_ps(0.5f), c = _mm512_set1_ps(7.90531110763549805f);
    __m512 x = _mm512_mul_ps(h, z);
    x = _mm512_max_ps(_mm512_set1_ps(-7.90531110763549805f), x);
    x = _mm512_min_ps(c, x);
    __m512 x2 = _mm512_mul_ps(x, x);
#define RBM_HORNER(acc, k) acc = _mm512_add_ps(_mm512_set1_ps(k), _mm512_mul_ps(x2, acc))
    __m512 p = _mm512_set1_ps(-2.76076847742355e-16f);
    RBM_HORNER(p, 2.00018790482477e-13f);
    RBM_HORNER(p, -8.60467152213735e-11f);
    RBM_HORNER(p, 5.12229709037114e-08f);
    RBM_HORNER(p, 1.48572235717979e-05f);
    RBM_HORNER(p, 6.37261928875436e-04f);
    RBM_HORNER(p, 4.89352455891786e-03f);
    __m512 q = _mm512_set1_ps(1.19825839466702e-06f);
    RBM_HORNER(q, 1.18534705686654e-04f);
    RBM_HORNER(q, 2.26843463243900e-03f);
    RBM_HORNER(q, 4.89352518554385e-03f);
#undef RBM_HORNER
    return _mm512_add_ps(h, _mm512_mul_ps(h, _mm512_div_ps(_mm512_mul_ps(x, p), q)));
}
#endif

/* One contiguous run of n elements: q = logistic(a + bj); p = q (p not
 * NULL), x = (u >> 8) 2^-24 < q (x not NULL).  p or x may equal a. */
RBM_WIDE static inline void seg_logistic_sample(float *p, float *x, const float *a, const float *bj,
                                                const uint32_t *u, size_t n)
{
#if defined(__AVX512F__)
    const __m512 one = _mm512_set1_ps(1.0f), ulp = _mm512_set1_ps(0x1.0p-24f);
    for (size_t t = 0; t < n; t += 16) {
        __mmask16 m = n - t >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - t)) - 1);
        __m512 q = logistic16(_mm512_add_ps(_mm512_maskz_loadu_ps(m, a + t), _mm512_maskz_loadu_ps(m, bj + t)));
        if (x) {
            __m512 uf = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(_mm512_maskz_loadu_epi32(m, u + t), 8)), ulp);
            _mm512_mask_storeu_ps(x + t, m, _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(uf, q, _CMP_LT_OQ), one));
        }
        if (p) _mm512_mask_storeu_ps(p + t, m, q);
    }
#else
    if (!x) {
        #pragma omp simd
        for (size_t t = 0; t < n; t++) p[t] = nn_logisticf_fast(a[t] + bj[t]);
    } else if (!p) {
        #pragma omp simd
        for (size_t t = 0; t < n; t++) x[t] = (float)(u[t] >> 8) * 0x1.0p-24f < nn_logisticf_fast(a[t] + bj[t]) ? 1.0f : 0.0f;
    } else {
        #pragma omp simd
        for (size_t t = 0; t < n; t++) {
            float q = nn_logisticf_fast(a[t] + bj[t]);
            p[t] = q;
            x[t] = (float)(u[t] >> 8) * 0x1.0p-24f < q ? 1.0f : 0.0f;
        }
    }
#endif
}

/* Row-major rows x w: p = logistic(a + bias) (p may be NULL, or equal a),
 * and x = Bernoulli(p) from r when x is not NULL (x may equal a; uniforms
 * in element order).  One pass: bias, logistic and sample fused. */
static void logistic_sample(float *p, float *x, const float *a, const float *bias, size_t rows, int w,
                            rng_stream *r)
{
    uint32_t u[RBM_CHUNK];
    size_t total = rows * (size_t)w;
    /* Narrow rows (w < RBM_NARROW): the bias repeated along the chunk, so that a chunk is
     * one run (rep[col0 + t] = bias[(e0 + t) % w]) and not one short run per row. */
    float rep[RBM_CHUNK + RBM_NARROW];
    size_t nrep = w < RBM_NARROW ? (total < RBM_CHUNK ? total : RBM_CHUNK) + (size_t)w : 0;
    for (size_t t = 0; t < nrep; t++) rep[t] = t < (size_t)w ? bias[t] : rep[t - (size_t)w];
    for (size_t e0 = 0; e0 < total; e0 += RBM_CHUNK) {
        size_t len = total - e0 < RBM_CHUNK ? total - e0 : RBM_CHUNK;
        if (x) rng_u32_fill(r, u, len);
        if (nrep) {
            seg_logistic_sample(p ? p + e0 : NULL, x ? x + e0 : NULL, a + e0, rep + e0 % (size_t)w, u, len);
            continue;
        }
        for (size_t k = 0, col = e0 % (size_t)w; k < len; col = 0) {
            size_t seg = (size_t)w - col < len - k ? (size_t)w - col : len - k, e = e0 + k;
            seg_logistic_sample(p ? p + e : NULL, x ? x + e : NULL, a + e, bias + col, u + k, seg);
            k += seg;
        }
    }
}
/* end: bulkrng */

/* out = x W^T (x: n x nv, out: n x nh), the hidden pre-activations */
static void up_act(float *out, const float *W, int nv, int nh, const float *x, size_t n)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, nh, nv, 1.0f, x, nv, W, nv, 0.0f,
                out, nh);
}

/* out = h W (h: n x nh, out: n x nv), the visible pre-activations */
static void down_act(float *out, const float *W, int nv, int nh, const float *h, size_t n)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, nv, nh, 1.0f, h, nh, W, nv,
                0.0f, out, nv);
}

void rbm_hidden_prob(float *ph, const rbm_model *m, const float *v, size_t n)
{
    up_act(ph, m->W, m->nv, m->nh, v, n);
    add_bias_logistic(ph, m->c, n, m->nh);
}

void rbm_visible_prob(float *pv, const rbm_model *m, const float *h, size_t n)
{
    down_act(pv, m->W, m->nv, m->nh, h, n);
    add_bias_logistic(pv, m->b, n, m->nv);
}

RBM_WIDE void rbm_bernoulli(float *x, const float *p, size_t n, rng_stream *r)
{
    uint32_t u[RBM_CHUNK];
    for (size_t e0 = 0; e0 < n; e0 += RBM_CHUNK) {
        size_t len = n - e0 < RBM_CHUNK ? n - e0 : RBM_CHUNK;
        rng_u32_fill(r, u, len);
        #pragma omp simd
        for (size_t t = 0; t < len; t++) x[e0 + t] = (float)(u[t] >> 8) * 0x1.0p-24f < p[e0 + t] ? 1.0f : 0.0f;
    }
}

static double softplus(double x) { return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)); }

double rbm_free_energy(const rbm_model *m, const float *v)
{
    double F = 0;
    for (int i = 0; i < m->nv; i++) F -= (double)m->b[i] * v[i];
    for (int j = 0; j < m->nh; j++) {
        double a = m->c[j];
        const float *w = m->W + (size_t)j * m->nv;
        for (int i = 0; i < m->nv; i++) a += (double)w[i] * v[i];
        F -= softplus(a);
    }
    return F;
}

double rbm_free_energy_hidden(const rbm_model *m, const float *h)
{
    double F = 0;
    for (int j = 0; j < m->nh; j++) F -= (double)m->c[j] * h[j];
    for (int i = 0; i < m->nv; i++) {
        double a = m->b[i];
        for (int j = 0; j < m->nh; j++) a += (double)m->W[(size_t)j * m->nv + i] * h[j];
        F -= softplus(a);
    }
    return F;
}

/* --- CD-k / PCD-k ------------------------------------------------------------- */

typedef struct {
    int B;
    float *ph0, *phk, *h, *pv, *vneg;
} cd_ws;

static int cd_ws_init(cd_ws *w, const rbm_model *m, int B)
{
    w->B = B;
    w->ph0 = malloc((size_t)B * m->nh * sizeof(float));
    w->phk = malloc((size_t)B * m->nh * sizeof(float));
    w->h = malloc((size_t)B * m->nh * sizeof(float));
    w->pv = malloc((size_t)B * m->nv * sizeof(float));
    w->vneg = malloc((size_t)B * m->nv * sizeof(float));
    return w->ph0 && w->phk && w->h && w->pv && w->vneg ? 0 : -1;
}

static void cd_ws_clear(cd_ws *w)
{
    free(w->ph0);
    free(w->phk);
    free(w->h);
    free(w->pv);
    free(w->vneg);
}

/* listing: cdk */
// CD-k / PCD-k gradient of the mean log-likelihood on a batch v0 (B rows):
// g = <h v>_data - <h v>_k with hidden probabilities in both terms.  The
// negative chain starts at v0 (CD) or continues from w->vneg (PCD).  Each
// conditional is one sgemm, then one fused pass: bias, logistic, sample.
static void cd_grad(rbm_model *g, const rbm_model *m, const float *v0, int B, int k, int persistent,
                    cd_ws *w, rng_stream *r)
{
    int nv = m->nv, nh = m->nh;
    up_act(w->ph0, m->W, nv, nh, v0, (size_t)B);
    logistic_sample(w->ph0, persistent ? NULL : w->h, w->ph0, m->c, (size_t)B, nh, r);
    if (persistent) {
        up_act(w->phk, m->W, nv, nh, w->vneg, (size_t)B);
        logistic_sample(w->phk, w->h, w->phk, m->c, (size_t)B, nh, r);
    }
    for (int s = 0; s < k; s++) {
        down_act(w->pv, m->W, nv, nh, w->h, (size_t)B);
        logistic_sample(NULL, w->vneg, w->pv, m->b, (size_t)B, nv, r);
        up_act(w->phk, m->W, nv, nh, w->vneg, (size_t)B);
        logistic_sample(w->phk, s + 1 < k ? w->h : NULL, w->phk, m->c, (size_t)B, nh, r);
    }
    float a = 1.0f / (float)B;
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nh, nv, B, a, w->ph0, nh, v0, nv, 0.0f,
                g->W, nv);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nh, nv, B, -a, w->phk, nh, w->vneg, nv,
                1.0f, g->W, nv);
    memset(g->b, 0, (size_t)nv * sizeof(float));
    memset(g->c, 0, (size_t)nh * sizeof(float));
    float *gb = g->b, *gc = g->c;
    for (int r0 = 0; r0 < B; r0++) {
        const float *x0 = v0 + (size_t)r0 * nv, *xk = w->vneg + (size_t)r0 * nv;
        const float *p0 = w->ph0 + (size_t)r0 * nh, *pk = w->phk + (size_t)r0 * nh;
        #pragma omp simd
        for (int i = 0; i < nv; i++) gb[i] += a * (x0[i] - xk[i]);
        #pragma omp simd
        for (int j = 0; j < nh; j++) gc[j] += a * (p0[j] - pk[j]);
    }
}
/* end: cdk */

int rbm_grad_cd(rbm_model *g, const rbm_model *m, const float *v0, size_t n, int k, rng_stream *r)
{
    cd_ws w;
    blas_guard();
    int rc = cd_ws_init(&w, m, (int)n);
    if (!rc) cd_grad(g, m, v0, (int)n, k, 0, &w, r);
    cd_ws_clear(&w);
    return rc;
}

/* Copies sample row `src` into dst with a random torus translation and a
 * random global flip (each when enabled). */
static void augment_row(float *dst, const float *src, int nv, const rbm_train_opts *o, rng_stream *r)
{
    int L = o->augment_translate_L;
    if (L > 0 && L * L == nv) {
        int dx = (int)rng_below(r, (uint64_t)L), dy = (int)rng_below(r, (uint64_t)L);
        for (int y = 0; y < L; y++) { /* row y to row (y + dy) mod L, rotated by dx: two runs */
            float *d = dst + ((y + dy) % L) * L;
            const float *s = src + y * L;
            for (int x = 0; x < L - dx; x++) d[x + dx] = s[x];
            for (int x = L - dx; x < L; x++) d[x + dx - L] = s[x];
        }
    } else {
        memcpy(dst, src, (size_t)nv * sizeof(float));
    }
    if (o->augment_flip && (rng_u32(r) & 1))
        for (int i = 0; i < nv; i++) dst[i] = 1.0f - dst[i];
}

/* Momentum SGD ascent step on one array: vel = mu vel + lr (g - l2 x - l1 sign x); x += vel. */
static void ascend(float *x, float *vel, const float *g, size_t n, double lr, double mu, double l1,
                   double l2)
{
    float flr = (float)lr, fmu = (float)mu, fl1 = (float)l1, fl2 = (float)l2;
    #pragma omp simd
    for (size_t i = 0; i < n; i++) {
        float s = (x[i] > 0) - (x[i] < 0);
        vel[i] = fmu * vel[i] + flr * (g[i] - fl2 * x[i] - fl1 * s);
        x[i] += vel[i];
    }
}

static double lr_at(const rbm_train_opts *o, long t, long T)
{
    return T > 1 ? o->lr0 + (o->lr1 - o->lr0) * (double)t / (double)(T - 1) : o->lr0;
}

static int opts_ok(const rbm_train_opts *o)
{
    return o && o->k >= 1 && o->batch >= 1 && o->epochs >= 0 && isfinite(o->lr0) &&
           isfinite(o->lr1) && o->l1 >= 0 && o->l2 >= 0 && o->momentum >= 0 && o->momentum < 1 &&
           o->augment_translate_L >= 0;
}

/* listing: train */
int rbm_train(rbm_model *m, const float *data, size_t n, const rbm_train_opts *o, uint64_t seed,
              uint32_t cell)
{
    if (!opts_ok(o) || n < 1) return -1;
    if (o->augment_translate_L && o->augment_translate_L * o->augment_translate_L != m->nv) return -1;
    blas_guard();
    int nv = m->nv, nh = m->nh, B = o->batch < (int)n ? o->batch : (int)n;
    rng_stream r;
    rng_init(&r, seed, cell, 0x5b3);
    rbm_model g, vel;
    cd_ws w;
    size_t *idx = malloc(n * sizeof *idx);
    float *v0 = malloc((size_t)B * nv * sizeof *v0);
    int rc = rbm_model_init(&g, nv, nh) | rbm_model_init(&vel, nv, nh) | cd_ws_init(&w, m, B);
    if (rc || !idx || !v0) rc = -1;
    long nb = (long)(n / (size_t)B), T = nb * o->epochs, t = 0;
    for (size_t i = 0; i < n && !rc; i++) idx[i] = i;
    if (!rc && o->persistent) /* persistent chains start at data rows */
        for (int q = 0; q < B; q++) augment_row(w.vneg + (size_t)q * nv, data + (idx[q % n]) * nv, nv, o, &r);
    for (int e = 0; e < o->epochs && !rc; e++) {
        rng_shuffle(&r, idx, n);
        for (long bi = 0; bi < nb; bi++, t++) {
            for (int q = 0; q < B; q++)
                augment_row(v0 + (size_t)q * nv, data + idx[bi * B + q] * (size_t)nv, nv, o, &r);
            cd_grad(&g, m, v0, B, o->k, o->persistent, &w, &r);
            double lr = lr_at(o, t, T);
            ascend(m->W, vel.W, g.W, (size_t)nv * nh, lr, o->momentum, o->l1, o->l2);
            ascend(m->b, vel.b, g.b, (size_t)nv, lr, o->momentum, 0, 0);
            ascend(m->c, vel.c, g.c, (size_t)nh, lr, o->momentum, 0, 0);
        }
    }
    free(idx);
    free(v0);
    rbm_model_clear(&g);
    rbm_model_clear(&vel);
    cd_ws_clear(&w);
    return rc;
}
/* end: train */

/* --- exact evaluation ---------------------------------------------------------- */

/* Running log-sum-exp. */
typedef struct {
    double mx, s;
} lse_acc;

static void lse_add(lse_acc *a, double x)
{
    if (x > a->mx) {
        a->s = a->s * exp(a->mx - x) + 1;
        a->mx = x;
    } else {
        a->s += exp(x - a->mx);
    }
}

enum { ENUM_BLOCK = 2048 };

/* For every state x of a layer of n units (index bits), the negated free
 * energy with the other layer (m units, weights Wd: m x n row-major after
 * orientation) summed out: -F(x) = a.x + sum_j softplus(c_j + (Wd x)_j).
 * Calls sink(k, -F) for k = 0..2^n - 1 in order (with_f = 0: -F is not
 * computed, the sink gets 0 and the activations; the softplus is the cost). */
typedef void (*enum_sink)(void *ctx, uint64_t k, double negF, const double *act, const double *x);

static int enumerate(int n, int mo, const double *Wd, const double *a, const double *cc, int with_f,
                     enum_sink sink, void *ctx)
{
    if (n > 30) return -1;
    uint64_t S = 1ull << n;
    double *X = malloc((size_t)ENUM_BLOCK * n * sizeof *X);
    double *A = malloc((size_t)ENUM_BLOCK * mo * sizeof *A), F[ENUM_BLOCK];
    if (!X || !A) {
        free(X);
        free(A);
        return -1;
    }
    for (uint64_t k0 = 0; k0 < S; k0 += ENUM_BLOCK) {
        int nb = (int)(S - k0 < ENUM_BLOCK ? S - k0 : ENUM_BLOCK);
        for (int q = 0; q < nb; q++)
            for (int i = 0; i < n; i++) X[(size_t)q * n + i] = (double)(((k0 + q) >> i) & 1);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nb, mo, n, 1.0, X, n, Wd, n, 0.0, A, mo);
        /* a.x of every row first (i in order per row, vectorized across rows) */
        for (int q = 0; q < nb; q++) F[q] = 0;
        for (int i = 0; i < n && with_f; i++) {
            double ai = a[i];
            #pragma omp simd
            for (int q = 0; q < nb; q++) F[q] += ai * X[(size_t)q * n + i];
        }
        for (int q = 0; q < nb; q++) {
            const double *x = X + (size_t)q * n;
            double *act = A + (size_t)q * mo, f = F[q];
            #pragma omp simd
            for (int j = 0; j < mo; j++) act[j] += cc[j];
            for (int j = 0; j < mo && with_f; j++) f += softplus(act[j]);
            sink(ctx, k0 + q, with_f ? f : 0, act, x); /* with_f = 0: the caller has -F already */
        }
    }
    free(X);
    free(A);
    return 0;
}

static void sink_lse(void *ctx, uint64_t k, double negF, const double *act, const double *x)
{
    (void)k;
    (void)act;
    (void)x;
    lse_add(ctx, negF);
}

/* Double copies of the parameters; transposed = 1 gives W^T (nv x nh). */
static double *to_double(const float *x, size_t n)
{
    double *d = malloc(n * sizeof *d);
    if (d)
        for (size_t i = 0; i < n; i++) d[i] = x[i];
    return d;
}

static double *w_double(const rbm_model *m, int transposed)
{
    double *d = malloc((size_t)m->nv * m->nh * sizeof *d);
    if (!d) return NULL;
    for (int j = 0; j < m->nh; j++)
        for (int i = 0; i < m->nv; i++)
            d[transposed ? (size_t)i * m->nh + j : (size_t)j * m->nv + i] = m->W[(size_t)j * m->nv + i];
    return d;
}

/* listing: lnz */
// ln Z = ln sum_v e^{-F(v)}: every visible state, hidden units summed out
// analytically; the twin sums over hidden states with visible summed out.
int rbm_lnz_visible(double *lnz, const rbm_model *m)
{
    if (m->nv > 30) return -1;
    lse_acc acc = {-INFINITY, 0};
    double *W = w_double(m, 0), *b = to_double(m->b, m->nv), *c = to_double(m->c, m->nh);
    int rc = W && b && c ? enumerate(m->nv, m->nh, W, b, c, 1, sink_lse, &acc) : -1;
    free(W), free(b), free(c);
    *lnz = acc.mx + log(acc.s);
    return rc;
}

int rbm_lnz_hidden(double *lnz, const rbm_model *m)
{
    if (m->nh > 30) return -1;
    lse_acc acc = {-INFINITY, 0};
    double *W = w_double(m, 1), *b = to_double(m->b, m->nv), *c = to_double(m->c, m->nh);
    int rc = W && b && c ? enumerate(m->nh, m->nv, W, c, b, 1, sink_lse, &acc) : -1;
    free(W), free(b), free(c);
    *lnz = acc.mx + log(acc.s);
    return rc;
}
/* end: lnz */

typedef struct {
    double *out, lnz;
} marg_ctx;

static void sink_marg(void *ctx, uint64_t k, double negF, const double *act, const double *x)
{
    (void)act;
    (void)x;
    marg_ctx *c = ctx;
    c->out[k] = negF - c->lnz;
}

/* -F(v) - lnz for every visible state into out (2^nv entries). */
static int negf_all(double *out, const rbm_model *m, double lnz)
{
    marg_ctx mc = {out, lnz};
    double *W = w_double(m, 0), *b = to_double(m->b, m->nv), *c = to_double(m->c, m->nh);
    int rc = W && b && c ? enumerate(m->nv, m->nh, W, b, c, 1, sink_marg, &mc) : -1;
    free(W), free(b), free(c);
    return rc;
}

int rbm_log_marginal_all(double *out, const rbm_model *m, double lnz)
{
    return m->nv > 24 ? -1 : negf_all(out, m, lnz);
}

/* -F(v) for every visible state into negF (2^nv entries), ln Z from them
 * with the running log-sum-exp in index order: the values of
 * rbm_lnz_visible and of its enumeration, in one pass. */
static int negf_lnz(double *negF, double *lnz, const rbm_model *m)
{
    lse_acc acc = {-INFINITY, 0};
    int rc = negf_all(negF, m, 0);
    for (uint64_t k = 0; k < (1ull << m->nv) && !rc; k++) lse_add(&acc, negF[k]);
    *lnz = acc.mx + log(acc.s);
    return rc;
}

int rbm_log_marginal_lnz(double *out, double *lnz, const rbm_model *m)
{
    if (m->nv > 24) return -1;
    int rc = negf_lnz(out, lnz, m);
    for (uint64_t k = 0; k < (1ull << m->nv) && !rc; k++) out[k] -= *lnz;
    return rc;
}

typedef struct {
    rbm_model *g;
    double lnz, *gW, *gb, *gc;
    const double *negF; /* -F(v) of every state, from the ln Z pass */
} grad_ctx;

static double logistic_d(double x) { return 1 / (1 + exp(-x)); }

/* Model expectation of dF: p(v) sigma(act) v^T etc. */
static void sink_grad(void *ctx, uint64_t k, double negF, const double *act, const double *x)
{
    (void)negF;
    const grad_ctx *c = ctx;
    int nv = c->g->nv, nh = c->g->nh;
    double p = exp(c->negF[k] - c->lnz), *restrict gb = c->gb, *restrict gc = c->gc;
    if (p == 0) return;
    #pragma omp simd
    for (int i = 0; i < nv; i++) gb[i] -= p * x[i];
    for (int j = 0; j < nh; j++) {
        double s = p * logistic_d(act[j]), *restrict gw = c->gW + (size_t)j * nv;
        gc[j] -= s;
        #pragma omp simd
        for (int i = 0; i < nv; i++) gw[i] -= s * x[i];
    }
}

int rbm_grad_exact(rbm_model *g, const rbm_model *m, const float *v0, size_t n)
{
    int nv = m->nv, nh = m->nh;
    if (nv > 24 || n < 1) return -1;
    double lnz, *negF = malloc(sizeof(double) << nv);
    if (!negF || negf_lnz(negF, &lnz, m)) return free(negF), -1;
    grad_ctx c = {g, lnz, calloc((size_t)nv * nh, sizeof(double)), calloc(nv, sizeof(double)),
                  calloc(nh, sizeof(double)), negF};
    double *W = w_double(m, 0), *b = to_double(m->b, nv), *cc = to_double(m->c, nh);
    int rc = c.gW && c.gb && c.gc && W && b && cc ? 0 : -1;
    for (size_t r = 0; r < n && !rc; r++) { /* data term */
        const float *v = v0 + r * nv;
        for (int i = 0; i < nv; i++) c.gb[i] += (double)v[i] / n;
        for (int j = 0; j < nh; j++) {
            double a = cc[j];
            for (int i = 0; i < nv; i++) a += W[(size_t)j * nv + i] * v[i];
            double s = logistic_d(a) / n;
            c.gc[j] += s;
            for (int i = 0; i < nv; i++) c.gW[(size_t)j * nv + i] += s * v[i];
        }
    }
    if (!rc) rc = enumerate(nv, nh, W, b, cc, 0, sink_grad, &c);
    if (!rc) {
        for (size_t i = 0; i < (size_t)nv * nh; i++) g->W[i] = (float)c.gW[i];
        for (int i = 0; i < nv; i++) g->b[i] = (float)c.gb[i];
        for (int j = 0; j < nh; j++) g->c[j] = (float)c.gc[j];
    }
    free(c.gW), free(c.gb), free(c.gc), free(W), free(b), free(cc), free(negF);
    return rc;
}

/* --- deep models ------------------------------------------------------------------ */

static const char *const kind_names[RBM_KIND_COUNT] = {"RBM", "DBN", "DBM", "DRBN"};
const char *rbm_kind_name(rbm_kind k) { return (int)k >= 0 && k < RBM_KIND_COUNT ? kind_names[k] : "?"; }

int rbm_deep_init(rbm_deep *d, rbm_kind kind, int nl, const int *sizes)
{
    memset(d, 0, sizeof *d);
    if ((int)kind < 0 || kind >= RBM_KIND_COUNT || nl < 1 || nl > RBM_MAX_LAYERS) return -1;
    if (kind == RBM_KIND_RBM && nl != 1) return -1;
    d->kind = kind;
    d->nl = nl;
    for (int l = 0; l <= nl; l++) {
        if (sizes[l] < 1) return -1;
        d->sizes[l] = sizes[l];
    }
    for (int l = 0; l < nl; l++)
        if (rbm_model_init(&d->layer[l], sizes[l], sizes[l + 1])) {
            rbm_deep_clear(d);
            return -1;
        }
    return 0;
}

void rbm_deep_clear(rbm_deep *d)
{
    for (int l = 0; l < d->nl; l++) rbm_model_clear(&d->layer[l]);
    memset(d, 0, sizeof *d);
}

float *rbm_deep_bias(const rbm_deep *d, int l)
{
    return l < d->nl ? d->layer[l].b : d->layer[d->nl - 1].c;
}

static int greedy(const rbm_deep *d) { return d->kind == RBM_KIND_RBM || d->kind == RBM_KIND_DBN; }

/* listing: cond */
// p = the pre-activations of unit layer l given its neighbours (see
// rbm_deep_cond); returns the bias that the conditional adds.
static const float *cond_act(float *p, const rbm_deep *d, int l, int from, float *const *x, size_t n)
{
    int w = d->sizes[l];
    int below = l > 0 && (d->kind == RBM_KIND_DBM || from < 0);
    int above = l < d->nl && (d->kind == RBM_KIND_DBM || from > 0);
    const float *bias = greedy(d) ? (from < 0 ? d->layer[l - 1].c : d->layer[l].b) : rbm_deep_bias(d, l);
    float beta = 0.0f;
    if (below) { // x[l-1] W_{l-1}^T
        const rbm_model *m = &d->layer[l - 1];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, w, m->nv, 1.0f, x[l - 1], m->nv,
                    m->W, m->nv, 0.0f, p, w);
        beta = 1.0f;
    }
    if (above) { // x[l+1] W_l
        const rbm_model *m = &d->layer[l];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, w, m->nh, 1.0f, x[l + 1], m->nh,
                    m->W, m->nv, beta, p, w);
    }
    return bias;
}

void rbm_deep_cond(float *p, const rbm_deep *d, int l, int from, float *const *x, size_t n)
{
    const float *bias = cond_act(p, d, l, from, x, n);
    add_bias_logistic(p, bias, n, d->sizes[l]);
}

/* x[l] = a sample of unit layer l given its neighbours, computed in place
 * (the conditional never reads x[l] itself). */
static void sample_layer(const rbm_deep *d, int l, int from, float *const *x, size_t chains, rng_stream *r)
{
    const float *bias = cond_act(x[l], d, l, from, x, chains);
    logistic_sample(NULL, x[l], x[l], bias, chains, d->sizes[l], r);
}

// One sampling step.  RBM/DBN: block Gibbs in the top RBM, then the down
// pass; DBM: odd layers given even ones, then even given odd (each layer's
// conditional given both neighbours: block Gibbs of the joint Boltzmann
// distribution); DRBN: a full up pass, then a full down pass.  All chains
// go through one sgemm per conditional.
void rbm_deep_step(const rbm_deep *d, float *const *x, size_t chains, rng_stream *r)
{
    int nl = d->nl;
    if (d->kind == RBM_KIND_DBM) {
        for (int par = 1; par >= 0; par--)
            for (int l = par; l <= nl; l += 2) sample_layer(d, l, 0, x, chains, r);
    } else {
        for (int l = greedy(d) ? nl : 1; l <= nl; l++) sample_layer(d, l, -1, x, chains, r);
        for (int l = nl - 1; l >= 0; l--) sample_layer(d, l, +1, x, chains, r);
    }
}
/* end: cond */

/* Advances r by n words, as drawing them would (no normal spare lost). */
static void skip_words(rng_stream *r, uint64_t n)
{
    while (n && r->used < 4) r->used++, n--;
    if (!n) return;
    int hn = r->have_normal;
    double spare = r->normal_spare;
    rng_seek(r, ((uint64_t)r->ctr[1] << 32 | r->ctr[0]) + n / 4);
    uint32_t tmp[4];
    if (n % 4) rng_u32_fill(r, tmp, n % 4);
    r->have_normal = hn, r->normal_spare = spare;
}

// `steps` sampling steps: bit for bit rbm_deep_step `steps` times, state and
// stream.  For a DBN the layers below the top RBM are written only by the
// down pass and read by nothing in the chain, so before the last step their
// sampling is skipped and only its random numbers are stepped over.
void rbm_deep_steps(const rbm_deep *d, float *const *x, size_t chains, int steps, rng_stream *r)
{
    int nl = d->nl;
    for (int s = 0; s < steps; s++) {
        if (d->kind != RBM_KIND_DBN || nl < 2 || s + 1 == steps) {
            rbm_deep_step(d, x, chains, r);
            continue;
        }
        sample_layer(d, nl, -1, x, chains, r);
        sample_layer(d, nl - 1, +1, x, chains, r);
        for (int l = nl - 2; l >= 0; l--) skip_words(r, (uint64_t)chains * (uint64_t)d->sizes[l]);
    }
}

static int alloc_states(float **x, const rbm_deep *d, size_t rows)
{
    int bad = 0;
    for (int l = 0; l <= d->nl; l++) {
        x[l] = calloc(rows * d->sizes[l], sizeof(float));
        bad |= !x[l];
    }
    return bad ? -1 : 0;
}

static void free_states(float **x, const rbm_deep *d)
{
    for (int l = 0; l <= d->nl; l++) free(x[l]);
}

int rbm_deep_sample(float *out, const rbm_deep *d, size_t chains, int steps, uint64_t seed,
                    uint32_t cell)
{
    blas_guard();
    float *x[RBM_MAX_LAYERS + 1] = {0};
    if (alloc_states(x, d, chains)) {
        free_states(x, d);
        return -1;
    }
    rng_stream r;
    rng_init(&r, seed, cell, 0x5a3);
    for (int l = 0; l <= d->nl; l++) /* uniform random bits, as (rng_u32 & 1) in element order */
        for (size_t e0 = 0, n = chains * d->sizes[l]; e0 < n; e0 += RBM_CHUNK) {
            uint32_t u[RBM_CHUNK];
            size_t len = n - e0 < RBM_CHUNK ? n - e0 : RBM_CHUNK;
            rng_u32_fill(&r, u, len);
            for (size_t t = 0; t < len; t++) x[l][e0 + t] = (float)(u[t] & 1);
        }
    rbm_deep_steps(d, x, chains, steps, &r);
    memcpy(out, x[0], chains * d->sizes[0] * sizeof *out);
    free_states(x, d);
    return 0;
}

int rbm_sample(float *out, const rbm_model *m, size_t chains, int steps, uint64_t seed, uint32_t cell)
{
    rbm_deep d = {RBM_KIND_RBM, 1, {m->nv, m->nh}, {*m}};
    return rbm_deep_sample(out, &d, chains, steps, seed, cell);
}

/* --- joint training (DBM, DBN pre-training), resumable ------------------------------- */

/* listing: joint */
// One joint update from positive states P[l] and negative states Q[l]
// (B rows each): dW_l = <x_{l+1} x_l^T>_P - <x_{l+1} x_l^T>_Q, dbias_l = <x_l>_P - <x_l>_Q.
static void joint_update(rbm_deep *d, rbm_deep *vel, float *const *P, float *const *Q, int B,
                         double lr, const rbm_train_opts *o, float *gW, float *gb)
{
    float a = 1.0f / (float)B;
    for (int l = 0; l < d->nl; l++) {
        rbm_model *m = &d->layer[l];
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m->nh, m->nv, B, a, P[l + 1], m->nh,
                    P[l], m->nv, 0.0f, gW, m->nv);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m->nh, m->nv, B, -a, Q[l + 1], m->nh,
                    Q[l], m->nv, 1.0f, gW, m->nv);
        ascend(m->W, vel->layer[l].W, gW, (size_t)m->nv * m->nh, lr, o->momentum, o->l1, o->l2);
    }
    for (int l = 0; l <= d->nl; l++) {
        int w = d->sizes[l];
        memset(gb, 0, (size_t)w * sizeof *gb);
        for (int q = 0; q < B; q++)
            for (int i = 0; i < w; i++) gb[i] += a * (P[l][(size_t)q * w + i] - Q[l][(size_t)q * w + i]);
        ascend(rbm_deep_bias(d, l), rbm_deep_bias(vel, l), gb, (size_t)w, lr, o->momentum, 0, 0);
    }
}

// Positive phase: DBM, mean-field with the visible layer clamped (an up
// pass, then mf_iters sweeps of mu_l = sigma(bias_l + W_{l-1} mu_{l-1} +
// W_l^T mu_{l+1})); DRBN, the up pass of probabilities.
static void positive_phase(const rbm_deep *d, float *const *P, int B, int mf_iters)
{
    rbm_deep up = *d;
    up.kind = RBM_KIND_DRBN;
    for (int l = 1; l <= d->nl; l++) rbm_deep_cond(P[l], &up, l, -1, P, (size_t)B);
    if (d->kind != RBM_KIND_DBM) return;
    for (int it = 0; it < mf_iters; it++)
        for (int l = 1; l <= d->nl; l++) rbm_deep_cond(P[l], d, l, 0, P, (size_t)B);
}
/* end: joint */

/* The state that training carries from one epoch to the next: the epochs
 * done, momentum, the persistent chains (per layer in the pre-training, of
 * the joint model after), and the learning-rate horizons.  Every epoch
 * draws from its own stream, keyed by (seed, cell, phase, layer, epoch), so
 * nothing else needs carrying. */
struct rbm_deep_run {
    rbm_deep_opts o;
    uint64_t seed;
    uint32_t cell;
    size_t n;
    int B, pre, joint, jstarted;
    rbm_model vel[RBM_MAX_LAYERS], g[RBM_MAX_LAYERS];
    cd_ws ws[RBM_MAX_LAYERS]; /* ws[l].vneg: layer l's persistent chains */
    float *v0[RBM_MAX_LAYERS], *in[RBM_MAX_LAYERS]; /* batch rows; layer l's input this epoch (l > 0) */
    size_t *idx;
    rbm_deep jvel;
    float *Q[RBM_MAX_LAYERS + 1]; /* the joint persistent chains */
};

enum { RBM_S_INIT = 0x5d3, RBM_S_PRE = 0x5e000000, RBM_S_JINIT = 0x5efffff0, RBM_S_JOINT = 0x5f000000 };

void rbm_deep_run_free(rbm_deep_run *s)
{
    if (!s) return;
    for (int l = 0; l < RBM_MAX_LAYERS; l++) {
        rbm_model_clear(&s->vel[l]), rbm_model_clear(&s->g[l]);
        if (s->ws[l].B) cd_ws_clear(&s->ws[l]);
        free(s->v0[l]), free(s->in[l]);
    }
    free(s->idx);
    if (s->jvel.nl) rbm_deep_clear(&s->jvel);
    for (int l = 0; l <= RBM_MAX_LAYERS; l++) free(s->Q[l]);
    free(s);
}

static rbm_deep_run *run_alloc(const rbm_deep *d, size_t n, const rbm_deep_opts *o, uint64_t seed, uint32_t cell)
{
    rbm_deep_run *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->o = *o, s->seed = seed, s->cell = cell, s->n = n;
    s->B = o->rbm.batch < (int)n ? o->rbm.batch : (int)n;
    int bad = !(s->idx = malloc(n * sizeof *s->idx));
    for (int l = 0; l < d->nl; l++) {
        const rbm_model *m = &d->layer[l];
        bad |= rbm_model_init(&s->vel[l], m->nv, m->nh) | rbm_model_init(&s->g[l], m->nv, m->nh);
        bad |= cd_ws_init(&s->ws[l], m, s->B);
        bad |= !(s->v0[l] = malloc((size_t)s->B * m->nv * sizeof(float)));
        if (l) bad |= !(s->in[l] = malloc(n * (size_t)m->nv * sizeof(float)));
    }
    if (bad) rbm_deep_run_free(s), s = NULL;
    return s;
}

static int opts_deep_ok(const rbm_deep_opts *o)
{
    return o && opts_ok(&o->rbm) && o->joint_epochs >= 0 && o->mf_iters >= 0 && o->horizon >= 0 &&
           o->joint_horizon >= 0;
}

rbm_deep_run *rbm_deep_run_new(rbm_deep *d, const float *data, size_t n, const rbm_deep_opts *o, uint64_t seed,
                               uint32_t cell)
{
    if (!opts_deep_ok(o) || n < 1 || d->nl < 1) return NULL;
    if (o->rbm.augment_translate_L && o->rbm.augment_translate_L * o->rbm.augment_translate_L != d->sizes[0])
        return NULL;
    blas_guard();
    rbm_deep_run *s = run_alloc(d, n, o, seed, cell);
    if (!s) return NULL;
    rng_stream r;
    rng_init(&r, seed, cell, RBM_S_INIT);
    for (int l = 0; l < d->nl; l++) {
        rbm_model *m = &d->layer[l];
        rbm_init_normal(m, &r, o->sd0 / sqrt((double)m->nv * m->nh));
    }
    int nv = d->sizes[0];
    if (o->rbm.persistent) /* the first layer's chains start at data rows; the others at their first inputs */
        for (int q = 0; q < s->B; q++) augment_row(s->ws[0].vneg + (size_t)q * nv, data + (size_t)(q % n) * nv, nv, &o->rbm, &r);
    return s;
}

rbm_deep_run *rbm_deep_run_copy(const rbm_deep_run *s, const rbm_deep *d, const rbm_deep_opts *o)
{
    if (s->jstarted || !opts_deep_ok(o) || (o->rbm.batch < (int)s->n ? o->rbm.batch : (int)s->n) != s->B) return NULL;
    rbm_deep_run *c = run_alloc(d, s->n, o, s->seed, s->cell);
    if (!c) return NULL;
    c->pre = s->pre;
    for (int l = 0; l < d->nl; l++) {
        const rbm_model *m = &d->layer[l];
        size_t nw = (size_t)m->nv * m->nh;
        memcpy(c->vel[l].W, s->vel[l].W, nw * sizeof(float));
        memcpy(c->vel[l].b, s->vel[l].b, (size_t)m->nv * sizeof(float));
        memcpy(c->vel[l].c, s->vel[l].c, (size_t)m->nh * sizeof(float));
        memcpy(c->ws[l].vneg, s->ws[l].vneg, (size_t)s->B * m->nv * sizeof(float));
    }
    return c;
}

/* One pre-training epoch of layer l on its input x (n rows): PCD-k / CD-k
 * minibatches in an order shuffled by the epoch's stream, the learning rate
 * at batch t of the horizon's nb * horizon. */
static void pre_epoch(rbm_deep_run *s, rbm_model *m, int l, const float *x, int e, rng_stream *r)
{
    rbm_train_opts lo = s->o.rbm;
    if (l > 0) lo.augment_flip = lo.augment_translate_L = 0;
    int nv = m->nv, nh = m->nh, B = s->B;
    size_t n = s->n;
    long nb = (long)(n / (size_t)B), H = s->o.horizon ? s->o.horizon : s->o.rbm.epochs;
    for (size_t i = 0; i < n; i++) s->idx[i] = i;
    rng_shuffle(r, s->idx, n);
    for (long bi = 0; bi < nb; bi++) {
        for (int q = 0; q < B; q++)
            augment_row(s->v0[l] + (size_t)q * nv, x + s->idx[bi * B + q] * (size_t)nv, nv, &lo, r);
        cd_grad(&s->g[l], m, s->v0[l], B, lo.k, lo.persistent, &s->ws[l], r);
        double lr = lr_at(&lo, (long)e * nb + bi, nb * H);
        ascend(m->W, s->vel[l].W, s->g[l].W, (size_t)nv * nh, lr, lo.momentum, lo.l1, lo.l2);
        ascend(m->b, s->vel[l].b, s->g[l].b, (size_t)nv, lr, lo.momentum, 0, 0);
        ascend(m->c, s->vel[l].c, s->g[l].c, (size_t)nh, lr, lo.momentum, 0, 0);
    }
}

// Pre-training epoch e of the stack: layer 0 one epoch on the data, then
// layer l one epoch on Bernoulli samples of layer l-1's hidden probabilities
// given its input of this epoch (the layers below as they are after their
// epoch e).  Layer-wise, all layers each epoch: a resumable stack.
static void pre_stack_epoch(rbm_deep_run *s, rbm_deep *d, const float *data, int e)
{
    for (int l = 0; l < d->nl; l++) {
        rng_stream r;
        rng_init(&r, s->seed, s->cell, RBM_S_PRE + ((uint32_t)l << 20) + (uint32_t)e);
        const float *x = l ? s->in[l] : data;
        if (l) {
            rbm_hidden_prob(s->in[l], &d->layer[l - 1], l > 1 ? s->in[l - 1] : data, s->n);
            rbm_bernoulli(s->in[l], s->in[l], s->n * (size_t)d->sizes[l], &r);
            if (e == 0 && s->o.rbm.persistent)
                for (int q = 0; q < s->B; q++)
                    memcpy(s->ws[l].vneg + (size_t)q * d->sizes[l], x + (size_t)(q % s->n) * d->sizes[l],
                           (size_t)d->sizes[l] * sizeof(float));
        }
        pre_epoch(s, &d->layer[l], l, x, e, &r);
    }
}

// The joint phase begins: an intermediate layer's single bias is the mean of
// the hidden bias below and the visible bias above; the persistent chains
// start at data rows (visible) and random bits (hidden layers).
static int joint_start(rbm_deep_run *s, rbm_deep *d, const float *data)
{
    for (int l = 1; l < d->nl; l++) {
        float *b = d->layer[l].b, *c = d->layer[l - 1].c;
        for (int i = 0; i < d->sizes[l]; i++) b[i] = 0.5f * (b[i] + c[i]);
    }
    if (alloc_states(s->Q, d, (size_t)s->B) || rbm_deep_init(&s->jvel, d->kind, d->nl, d->sizes)) return -1;
    rng_stream r;
    rng_init(&r, s->seed, s->cell, RBM_S_JINIT);
    int nv = d->sizes[0];
    for (int l = 0; l <= d->nl; l++)
        for (size_t i = 0; i < (size_t)s->B * d->sizes[l]; i++)
            s->Q[l][i] = l ? (float)(rng_u32(&r) & 1) : data[(i / nv % s->n) * nv + i % nv];
    s->jstarted = 1;
    return 0;
}

static int joint_run(rbm_deep_run *s, rbm_deep *d, const float *data, int to)
{
    rbm_train_opts jo = s->o.rbm;
    jo.lr0 = s->o.joint_lr0, jo.lr1 = s->o.joint_lr1;
    int B = s->B, nv = d->sizes[0], mx = 0;
    for (int l = 0; l <= d->nl; l++) mx = d->sizes[l] > mx ? d->sizes[l] : mx;
    float *P[RBM_MAX_LAYERS + 1] = {0};
    float *gW = malloc((size_t)mx * mx * sizeof *gW), *gb = malloc((size_t)mx * sizeof *gb);
    int rc = alloc_states(P, d, (size_t)B) || !gW || !gb ? -1 : 0;
    long nb = (long)(s->n / (size_t)B), H = s->o.joint_horizon ? s->o.joint_horizon : s->o.joint_epochs;
    for (; s->joint < to && !rc; s->joint++) {
        rng_stream r;
        rng_init(&r, s->seed, s->cell, RBM_S_JOINT + (uint32_t)s->joint);
        for (size_t i = 0; i < s->n; i++) s->idx[i] = i;
        rng_shuffle(&r, s->idx, s->n);
        for (long bi = 0; bi < nb; bi++) {
            for (int q = 0; q < B; q++)
                augment_row(P[0] + (size_t)q * nv, data + s->idx[bi * B + q] * (size_t)nv, nv, &jo, &r);
            positive_phase(d, P, B, s->o.mf_iters);
            for (int k = 0; k < jo.k; k++) rbm_deep_step(d, s->Q, (size_t)B, &r);
            joint_update(d, &s->jvel, P, s->Q, B, lr_at(&jo, (long)s->joint * nb + bi, nb * H), &jo, gW, gb);
        }
    }
    free_states(P, d);
    free(gW), free(gb);
    return rc;
}

/* listing: deeptrain */
int rbm_deep_run_to(rbm_deep_run *s, rbm_deep *d, const float *data, int epochs, int joint_epochs)
{
    if (epochs < s->pre || joint_epochs < s->joint || (s->jstarted && epochs > s->pre)) return -1;
    blas_guard();
    for (; s->pre < epochs; s->pre++) pre_stack_epoch(s, d, data, s->pre);
    if (greedy(d) || joint_epochs == 0) return 0;
    if (!s->jstarted && joint_start(s, d, data)) return -1;
    return joint_run(s, d, data, joint_epochs);
}

int rbm_deep_train(rbm_deep *d, const float *data, size_t n, const rbm_deep_opts *o, uint64_t seed,
                   uint32_t cell)
{
    rbm_deep_run *s = rbm_deep_run_new(d, data, n, o, seed, cell);
    int rc = s ? rbm_deep_run_to(s, d, data, o->rbm.epochs, o->joint_epochs) : -1;
    rbm_deep_run_free(s);
    return rc;
}
/* end: deeptrain */

int rbm_deep_init_copy(rbm_deep *dst, const rbm_deep *src)
{
    if (rbm_deep_init(dst, src->kind, src->nl, src->sizes)) return -1;
    for (int l = 0; l < src->nl; l++) {
        const rbm_model *m = &src->layer[l];
        memcpy(dst->layer[l].W, m->W, (size_t)m->nv * m->nh * sizeof(float));
        memcpy(dst->layer[l].b, m->b, (size_t)m->nv * sizeof(float));
        memcpy(dst->layer[l].c, m->c, (size_t)m->nh * sizeof(float));
    }
    return 0;
}

/* --- model files ---------------------------------------------------------------------- */
static const unsigned char rbm_magic[8] = {'D', 'C', 'R', 'B', 'M', 0, 0, 0};
enum { RBM_FILE_VERSION = 1, RBM_MAX_WIDTH = 1 << 20 };

static void put(unsigned char *p, size_t *pos, uint64_t v, int bytes)
{
    binio_le_put(p + *pos, v, bytes);
    *pos += (size_t)bytes;
}

static void put_floats(unsigned char *p, size_t *pos, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], 4);
        put(p, pos, u, 4);
    }
}

static size_t params_of(const int *sizes, int nl)
{
    size_t np = 0;
    for (int l = 0; l < nl; l++) np += (size_t)sizes[l] * sizes[l + 1] + sizes[l] + sizes[l + 1];
    return np;
}

int rbm_save(const rbm_deep *d, const char *path, char *err, size_t nerr)
{
    size_t n = 8 + 12 + 4 * ((size_t)d->nl + 1) + 4 * params_of(d->sizes, d->nl) + 8, pos = 0;
    unsigned char *p = malloc(n);
    if (!p) {
        binio_errf(err, nerr, "%s: out of memory", path);
        return -1;
    }
    memcpy(p, rbm_magic, 8);
    pos = 8;
    put(p, &pos, RBM_FILE_VERSION, 4);
    put(p, &pos, (uint64_t)d->kind, 4);
    put(p, &pos, (uint64_t)d->nl, 4);
    for (int l = 0; l <= d->nl; l++) put(p, &pos, (uint64_t)d->sizes[l], 4);
    for (int l = 0; l < d->nl; l++) {
        const rbm_model *m = &d->layer[l];
        put_floats(p, &pos, m->W, (size_t)m->nv * m->nh);
        put_floats(p, &pos, m->b, (size_t)m->nv);
        put_floats(p, &pos, m->c, (size_t)m->nh);
    }
    int rc = binio_write_checksummed(path, p, pos, err, nerr);
    free(p);
    return rc;
}

int rbm_load(rbm_deep *d, const char *path, char *err, size_t nerr)
{
    memset(d, 0, sizeof *d);
    FILE *f = fopen(path, "rb");
    if (!f) {
        binio_errf(err, nerr, "%s: %s", path, strerror(errno));
        return -1;
    }
    unsigned char hdr[8 + 12 + 4 * (RBM_MAX_LAYERS + 1)];
    size_t h = fread(hdr, 1, sizeof hdr, f);
    if (h < 8 + 12 || memcmp(hdr, rbm_magic, 8)) {
        fclose(f);
        binio_errf(err, nerr, "%s: not a deepcheap RBM model file (bad magic)", path);
        return -1;
    }
    uint32_t ver = (uint32_t)binio_le_get(hdr + 8, 4), kind = (uint32_t)binio_le_get(hdr + 12, 4),
             nl = (uint32_t)binio_le_get(hdr + 16, 4);
    int sizes[RBM_MAX_LAYERS + 1] = {0};
    const char *why = NULL;
    if (ver != RBM_FILE_VERSION) why = "unsupported RBM model format version";
    else if (kind >= RBM_KIND_COUNT) why = "bad model kind";
    else if (nl < 1 || nl > RBM_MAX_LAYERS || h < 20 + 4 * ((size_t)nl + 1)) why = "bad layer count";
    for (uint32_t l = 0; !why && l <= nl; l++) {
        uint32_t w = (uint32_t)binio_le_get(hdr + 20 + 4 * l, 4);
        if (w < 1 || w > RBM_MAX_WIDTH) why = "bad layer width";
        sizes[l] = (int)w;
    }
    if (why) {
        fclose(f);
        binio_errf(err, nerr, "%s: %s (corrupt or foreign file)", path, why);
        return -1;
    }
    size_t n = 20 + 4 * ((size_t)nl + 1) + 4 * params_of(sizes, (int)nl) + 8;
    /* the length the header implies against the file's, before allocating */
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || (uint64_t)st.st_size != n) {
        fclose(f);
        binio_errf(err, nerr, "%s: %lld bytes, the header implies %zu (truncated or forged RBM model file)", path,
                   (long long)st.st_size, n);
        return -1;
    }
    unsigned char *p = malloc(n + 1);
    if (!p) {
        fclose(f);
        binio_errf(err, nerr, "%s: out of memory", path);
        return -1;
    }
    rewind(f);
    size_t got = fread(p, 1, n + 1, f);
    fclose(f);
    if (got != n || !binio_checksum_ok(p, n)) {
        free(p);
        binio_errf(err, nerr, "%s: checksum or length mismatch (truncated or corrupt RBM model file)", path);
        return -1;
    }
    if (rbm_deep_init(d, (rbm_kind)kind, (int)nl, sizes)) {
        free(p);
        binio_errf(err, nerr, "%s: cannot allocate the model", path);
        return -1;
    }
    size_t pos = 20 + 4 * ((size_t)nl + 1);
    for (int l = 0; l < (int)nl; l++) {
        rbm_model *m = &d->layer[l];
        float *arr[3] = {m->W, m->b, m->c};
        size_t cnt[3] = {(size_t)m->nv * m->nh, (size_t)m->nv, (size_t)m->nh};
        for (int a = 0; a < 3; a++)
            for (size_t i = 0; i < cnt[a]; i++, pos += 4) {
                uint32_t u = (uint32_t)binio_le_get(p + pos, 4);
                memcpy(&arr[a][i], &u, 4);
            }
    }
    free(p);
    return 0;
}

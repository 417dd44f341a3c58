#include "softmax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmath.h"

/* listing: logsumexp */
double softmax_logsumexp(const double *z, size_t k)
{
    double m = z[0];
    for (size_t i = 1; i < k; i++) m = z[i] > m ? z[i] : m;
    if (isinf(m)) return m; /* all -inf, or some +inf */
    double s = 0.0;
    for (size_t i = 0; i < k; i++) { /* every term <= 1: no overflow; e^0 = 1 exactly, no call */
        double d = z[i] - m;
        s += d == 0.0 ? 1.0 : exp(d);
    }
    return m + log(s);
}

void softmax_eval(double *p, const double *z, size_t k)
{
    double lse = softmax_logsumexp(z, k);
    for (size_t i = 0; i < k; i++) p[i] = exp(z[i] - lse);
}

void softmax_posterior(double *p, const double *H, const double *mu, size_t k)
{
    double z[64] = {0};
    if (k == 0 || k > 64) return;
    for (size_t i = 0; i < k; i++) z[i] = -H[i] - mu[i]; /* LT Eq. 8: bias -mu */
    softmax_eval(p, z, k);
}
/* end: logsumexp */

int softmax_model_init(softmax_model *m, size_t k, size_t f)
{
    m->k = k;
    m->f = f;
    m->w = calloc(k * f, sizeof *m->w);
    return m->w ? 0 : -1;
}

void softmax_model_clear(softmax_model *m)
{
    free(m->w);
    m->w = NULL;
}

static void logits(double *z, const softmax_model *m, const double *phi)
{
    for (size_t c = 0; c < m->k; c++) {
        double s = 0.0;
        for (size_t j = 0; j < m->f; j++) s += m->w[c * m->f + j] * phi[j];
        z[c] = s;
    }
}

/* The per-sample work of the gradient and the cross-entropy, for rows
 * [i0, i1): z = W x, q = softmax(z) (e^(z_c - max) / sum: k exponentials,
 * none for the maximum, whose e^0 = 1 exactly), -ln q_y into per[i] (when
 * per), (q - e_y) x^T added to gb (when gb).  Always inlined, and called
 * with k and f constant for the shapes softmax-training uses (3 classes, 3
 * or 6 features), so its loops unroll; the operations and their order are
 * the generic loops' (the build does not contract to FMA), so every shape
 * gives the same bits.  -ln q_y = logsumexp(z) - z_y, computed as
 * softmax_logsumexp does but with vmath's exp (its last bits may differ). */
static inline __attribute__((always_inline)) void rows(double *restrict gb, double *restrict per, const double *w,
                                                      const double *phi, const int *y, size_t i0, size_t i1,
                                                      size_t k, size_t f)
{
    for (size_t i = i0; i < i1; i++) {
        double z[64], q[64];
        const double *x = phi + i * f;
        z[0] = 0.0; /* k >= 1 overwrites it (the compiler cannot see that) */
        for (size_t c = 0; c < k; c++) {
            double s = 0.0;
            for (size_t j = 0; j < f; j++) s += w[c * f + j] * x[j];
            z[c] = s;
        }
        double mx = z[0], s = 0.0, d[64];
        for (size_t c = 1; c < k; c++) mx = z[c] > mx ? z[c] : mx;
        for (size_t c = 0; c < k; c++) d[c] = z[c] - mx;
        vmath_exp(q, d, k);
        for (size_t c = 0; c < k; c++) s += q[c] = d[c] == 0.0 ? 1.0 : q[c];
        if (per) per[i] = (isinf(mx) ? mx : mx + log(s)) - z[y[i]];
        if (!gb) continue;
        double inv = 1.0 / s;
        for (size_t c = 0; c < k; c++) q[c] *= inv;
        q[y[i]] -= 1.0; /* d(-ln q_y)/dz = q - e_y */
        for (size_t c = 0; c < k; c++)
            for (size_t j = 0; j < f; j++) gb[c * f + j] += q[c] * x[j];
    }
}

/* rows for 3 classes, in chunks of 64 samples: each step for the whole
 * chunk before the next (logits, maxima, exponentials, sums, -ln q_y,
 * q - e_y, then the gradient sums in sample order), so that the samples'
 * chains of dependent operations (a sum of products, exp, a division)
 * overlap instead of running one after another (perf: the one-sample loop
 * was 62% of softmax-training, exp 33%; then libm's exp 37%, now vmath's
 * AVX2 exp, whose value is the same at any position).  Every value is computed by the
 * same operations in the same order as in rows. */
enum { RCH = 64 };
static inline __attribute__((always_inline)) void rows3(double *restrict gb, double *restrict per, const double *w,
                                                       const double *phi, const int *y, size_t i0, size_t i1,
                                                       size_t f)
{
    const size_t k = 3;
    for (size_t c0 = i0; c0 < i1; c0 += RCH) {
        size_t nc = i1 - c0 < RCH ? i1 - c0 : RCH;
        double z[RCH * 3], q[RCH * 3], d[RCH * 3], sm[RCH], mxs[RCH];
        const double *xb = phi + c0 * f;
        const int *yb = y + c0;
        for (size_t ii = 0; ii < nc; ii++)
            for (size_t c = 0; c < k; c++) {
                double s = 0.0;
                for (size_t j = 0; j < f; j++) s += w[c * f + j] * xb[ii * f + j];
                z[ii * k + c] = s;
            }
        for (size_t ii = 0; ii < nc; ii++) {
            double mx = z[ii * k];
            for (size_t c = 1; c < k; c++) mx = z[ii * k + c] > mx ? z[ii * k + c] : mx;
            mxs[ii] = mx;
        }
        for (size_t t = 0; t < nc * k; t++) d[t] = z[t] - mxs[t / k];
        vmath_exp(q, d, nc * k);
        for (size_t t = 0; t < nc * k; t++) q[t] = d[t] == 0.0 ? 1.0 : q[t];
        for (size_t ii = 0; ii < nc; ii++) {
            double s = 0.0;
            for (size_t c = 0; c < k; c++) s += q[ii * k + c];
            sm[ii] = s;
        }
        if (per)
            for (size_t ii = 0; ii < nc; ii++)
                per[c0 + ii] = (isinf(mxs[ii]) ? mxs[ii] : mxs[ii] + log(sm[ii])) - z[ii * k + (size_t)yb[ii]];
        if (!gb) continue;
        for (size_t ii = 0; ii < nc; ii++) {
            double inv = 1.0 / sm[ii];
            for (size_t c = 0; c < k; c++) q[ii * k + c] *= inv;
            q[ii * k + (size_t)yb[ii]] -= 1.0;
        }
        for (size_t ii = 0; ii < nc; ii++)
            for (size_t c = 0; c < k; c++)
                for (size_t j = 0; j < f; j++) gb[c * f + j] += q[ii * k + c] * xb[ii * f + j];
    }
}

static void rows_any(double *gb, double *per, const softmax_model *m, const double *phi, const int *y, size_t i0,
                     size_t i1)
{
    if (m->k == 3 && m->f == 6) rows3(gb, per, m->w, phi, y, i0, i1, 6);
    else if (m->k == 3 && m->f == 3) rows3(gb, per, m->w, phi, y, i0, i1, 3);
    else rows(gb, per, m->w, phi, y, i0, i1, m->k, m->f);
}

/* rows_any over fixed blocks of 1024 samples, in parallel: block b's
 * gradient sum into part + b k f (part NULL: none), -ln q_y into per.
 * Fixed blocks summed later in a fixed order: the same bits for any thread
 * count. */
enum { BLOCK = 1024 };
static void blocks(double *part, double *per, const softmax_model *m, const double *phi, const int *y, size_t n)
{
    size_t nb = (n + BLOCK - 1) / BLOCK, kf = m->k * m->f;
    #pragma omp parallel for schedule(static)
    for (size_t b = 0; b < nb; b++) {
        size_t i1 = n < (b + 1) * BLOCK ? n : (b + 1) * BLOCK;
        rows_any(part ? part + b * kf : NULL, per, m, phi, y, b * BLOCK, i1);
    }
}

double softmax_model_xent(const softmax_model *m, const double *phi, const int *y, size_t n,
                          double *per)
{
    double *l = per ? per : malloc(n * sizeof *l);
    if (!l) return NAN; /* out of memory */
    blocks(NULL, l, m, phi, y, n);
    double total = 0.0; /* summed in order: independent of the thread count */
    for (size_t i = 0; i < n; i++) total += l[i];
    if (!per) free(l);
    return total / (double)n;
}

double softmax_model_accuracy(const softmax_model *m, const double *phi, const int *y, size_t n)
{
    size_t right = 0;
    #pragma omp parallel for reduction(+ : right) schedule(static)
    for (size_t i = 0; i < n; i++) {
        double z[64];
        logits(z, m, phi + i * m->f);
        size_t best = 0;
        for (size_t c = 1; c < m->k; c++) best = z[c] > z[best] ? c : best;
        right += best == (size_t)y[i];
    }
    return (double)right / (double)n;
}

/* listing: softmax-grad */
/* The gradient, and (xent != NULL) the mean cross-entropy at the same
 * weights from the same logits (softmax_model_xent's bits: the per-sample
 * values summed in order). */
static void grad_xent(double *g, double *xent, const softmax_model *m, const double *phi, const int *y, size_t n)
{
    size_t k = m->k, f = m->f, nb = (n + BLOCK - 1) / BLOCK;
    double *part = calloc(nb * k * f, sizeof *part), *l = xent ? malloc(n * sizeof *l) : NULL;
    if (!part || (xent && !l)) { /* out of memory: a NaN gradient (and cross-entropy) */
        for (size_t t = 0; t < k * f; t++) g[t] = NAN;
        if (xent) *xent = NAN;
        free(part), free(l);
        return;
    }
    blocks(part, l, m, phi, y, n);
    memset(g, 0, k * f * sizeof *g);
    for (size_t b = 0; b < nb; b++)
        for (size_t t = 0; t < k * f; t++) g[t] += part[b * k * f + t];
    for (size_t t = 0; t < k * f; t++) g[t] /= (double)n;
    if (xent) {
        double total = 0.0;
        for (size_t i = 0; i < n; i++) total += l[i];
        *xent = total / (double)n;
    }
    free(part);
    free(l);
}
/* end: softmax-grad */

void softmax_model_grad(double *g, const softmax_model *m, const double *phi, const int *y,
                        size_t n)
{
    grad_xent(g, NULL, m, phi, y, n);
}

double softmax_model_grad_xent(double *g, const softmax_model *m, const double *phi, const int *y,
                               size_t n)
{
    double x;
    grad_xent(g, &x, m, phi, y, n);
    return x;
}

void softmax_model_step(softmax_model *m, double *v, const double *g, double lr, double beta)
{
    for (size_t t = 0; t < m->k * m->f; t++) {
        v[t] = beta * v[t] - lr * g[t];
        m->w[t] += v[t];
    }
}

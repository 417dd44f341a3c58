#include "softmax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* listing: logsumexp */
double softmax_logsumexp(const double *z, size_t k)
{
    double m = z[0];
    for (size_t i = 1; i < k; i++) m = z[i] > m ? z[i] : m;
    if (isinf(m)) return m; /* all -inf, or some +inf */
    double s = 0.0;
    for (size_t i = 0; i < k; i++) s += exp(z[i] - m); /* every term <= 1: no overflow */
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

double softmax_model_xent(const softmax_model *m, const double *phi, const int *y, size_t n,
                          double *per)
{
    double *l = per ? per : malloc(n * sizeof *l);
    #pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) {
        double z[64];
        logits(z, m, phi + i * m->f);
        l[i] = softmax_logsumexp(z, m->k) - z[y[i]]; /* -ln q(y|x) */
    }
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

/* q = softmax(z) with k exponentials and one division: e^(z_c - max) / sum.
 * softmax_eval's exp(z_c - logsumexp) costs 2k exponentials and a log; this
 * is the gradient's hot loop (70% of softmax-training's time was libm). */
static void probs(double *q, const double *z, size_t k)
{
    double mx = z[0], s = 0.0;
    for (size_t c = 1; c < k; c++) mx = z[c] > mx ? z[c] : mx;
    for (size_t c = 0; c < k; c++) s += q[c] = exp(z[c] - mx);
    double inv = 1.0 / s;
    for (size_t c = 0; c < k; c++) q[c] *= inv;
}

/* listing: softmax-grad */
void softmax_model_grad(double *g, const softmax_model *m, const double *phi, const int *y,
                        size_t n)
{
    size_t k = m->k, f = m->f;
    /* Fixed blocks summed in a fixed order: the same bits for any thread count. */
    enum { BLOCK = 1024 };
    size_t nb = (n + BLOCK - 1) / BLOCK;
    double *part = calloc(nb * k * f, sizeof *part);
    #pragma omp parallel for schedule(static)
    for (size_t b = 0; b < nb; b++) {
        double *gb = part + b * k * f;
        for (size_t i = b * BLOCK; i < n && i < (b + 1) * BLOCK; i++) {
            double z[64], q[64];
            const double *x = phi + i * f;
            logits(z, m, x);
            probs(q, z, k);
            q[y[i]] -= 1.0; /* d(-ln q_y)/dz = q - e_y */
            for (size_t c = 0; c < k; c++)
                for (size_t j = 0; j < f; j++) gb[c * f + j] += q[c] * x[j];
        }
    }
    memset(g, 0, k * f * sizeof *g);
    for (size_t b = 0; b < nb; b++)
        for (size_t t = 0; t < k * f; t++) g[t] += part[b * k * f + t];
    for (size_t t = 0; t < k * f; t++) g[t] /= (double)n;
    free(part);
}
/* end: softmax-grad */

void softmax_model_step(softmax_model *m, double *v, const double *g, double lr, double beta)
{
    for (size_t t = 0; t < m->k * m->f; t++) {
        v[t] = beta * v[t] - lr * g[t];
        m->w[t] += v[t];
    }
}

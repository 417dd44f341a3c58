#include "plik.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmath.h"

static int alloc_pairs(plik_param *p, int n, int npairs, int npar)
{
    p->n = n;
    p->npairs = npairs;
    p->npar = npar;
    p->pi = malloc((size_t)npairs * sizeof *p->pi);
    p->pj = malloc((size_t)npairs * sizeof *p->pj);
    p->pp = malloc((size_t)npairs * sizeof *p->pp);
    if (p->pi && p->pj && p->pp) return 0;
    free(p->pi); free(p->pj); free(p->pp);
    p->pi = p->pj = p->pp = NULL;
    return -1;
}

int plik_param_init_all(plik_param *p, int n)
{
    int np = n * (n - 1) / 2, k = 0;
    if (alloc_pairs(p, n, np, np) != 0) return -1;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++, k++) { p->pi[k] = i; p->pj[k] = j; p->pp[k] = k; }
    return 0;
}

int plik_param_init_nn(plik_param *p, int L, int shared)
{
    int n = L * L, np = 2 * n, k = 0;
    if (L < 3 || alloc_pairs(p, n, np, shared ? 1 : np) != 0) return -1;
    for (int y = 0; y < L; y++)
        for (int x = 0; x < L; x++) {
            int i = y * L + x;
            p->pi[k] = i; p->pj[k] = y * L + (x + 1) % L; p->pp[k] = shared ? 0 : k; k++;
            p->pi[k] = i; p->pj[k] = ((y + 1) % L) * L + x; p->pp[k] = shared ? 0 : k; k++;
        }
    return 0;
}

void plik_param_clear(plik_param *p)
{
    free(p->pi); free(p->pj); free(p->pp);
    p->pi = p->pj = p->pp = NULL;
}

/* ln 2 cosh h, stable for large |h|: |h| + ln(1 + e^{-2|h|}) */
static double log2cosh(double h)
{
    double a = fabs(h);
    return a + log1p(exp(-2.0 * a));
}

int plik_data_init(plik_data *d, const plik_param *p, const int8_t *s, size_t N)
{
    int n = p->n;
    memset(d, 0, sizeof *d);
    d->N = N;
    d->deg = calloc((size_t)n, sizeof *d->deg);
    if (!d->deg) return -1;
    for (int k = 0; k < p->npairs; k++) { d->deg[p->pi[k]]++; d->deg[p->pj[k]]++; }
    int maxdeg = 0;
    for (int i = 0; i < n; i++) maxdeg = d->deg[i] > maxdeg ? d->deg[i] : maxdeg;
    d->dense = maxdeg > PLIK_MAXDEG;
    if (d->dense) {
        d->S = malloc(N * (size_t)n * sizeof *d->S);
        if (!d->S) goto fail;
        for (size_t t = 0; t < N * (size_t)n; t++) d->S[t] = s[t];
        return 0;
    }
    d->inc = malloc((size_t)n * PLIK_MAXDEG * sizeof *d->inc);
    d->nbr = malloc((size_t)n * PLIK_MAXDEG * sizeof *d->nbr);
    size_t np = (size_t)1 << (PLIK_MAXDEG + 1);
    d->count = calloc((size_t)n * np, sizeof *d->count);
    if (!d->inc || !d->nbr || !d->count) goto fail;
    memset(d->deg, 0, (size_t)n * sizeof *d->deg);
    for (int k = 0; k < p->npairs; k++) {
        int i = p->pi[k], j = p->pj[k];
        d->inc[i * PLIK_MAXDEG + d->deg[i]] = k; d->nbr[i * PLIK_MAXDEG + d->deg[i]++] = j;
        d->inc[j * PLIK_MAXDEG + d->deg[j]] = k; d->nbr[j * PLIK_MAXDEG + d->deg[j]++] = i;
    }
    for (size_t a = 0; a < N; a++) {
        const int8_t *x = s + a * (size_t)n;
        for (int i = 0; i < n; i++) {
            /* pattern bit 0: s_i = +1; bit m+1: neighbour m = +1 */
            unsigned pat = x[i] > 0;
            for (int m = 0; m < d->deg[i]; m++) pat |= (unsigned)(x[d->nbr[i * PLIK_MAXDEG + m]] > 0) << (m + 1);
            d->count[(size_t)i * np + pat] += 1.0;
        }
    }
    for (size_t t = 0; t < (size_t)n * np; t++) d->count[t] /= (double)N;
    return 0;
fail:
    plik_data_clear(d);
    return -1;
}

void plik_data_clear(plik_data *d)
{
    free(d->S); free(d->deg); free(d->inc); free(d->nbr); free(d->count);
    memset(d, 0, sizeof *d);
}

/* Dense route (many pairs): H = S K by dgemm, G = S^T (S - tanh H) by dgemm,
 * split in two so that plik_fit computes G only for the steps its line
 * search accepts.  Work space: K (n x n), H (N x n), G (n x n). */
typedef struct {
    double *K, *H, *G;
} dense_ws;

static int dense_ws_init(dense_ws *w, int n, size_t N)
{
    w->K = calloc((size_t)n * n, sizeof *w->K), w->H = malloc(N * (size_t)n * sizeof *w->H);
    w->G = malloc((size_t)n * n * sizeof *w->G);
    return w->K && w->H && w->G ? 0 : -1;
}

static void dense_ws_clear(dense_ws *w) { free(w->K), free(w->H), free(w->G); }

/* The objective's data term -(1/N) sum [s h - ln 2cosh h]; leaves the
 * residuals s - tanh h in w->H for dense_grad. */
static double dense_f(dense_ws *w, const plik_param *p, const double *theta, const plik_data *d)
{
    int n = p->n;
    size_t N = d->N;
    const double *S = d->S;
    double *K = w->K, *H = w->H; /* K: the pairs' entries set, every other entry stays 0 */
    for (int k = 0; k < p->npairs; k++) {
        K[p->pi[k] * n + p->pj[k]] = theta[p->pp[k]];
        K[p->pj[k] * n + p->pi[k]] = theta[p->pp[k]];
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)N, n, n, 1.0, S, n, K, n, 0.0, H, n);
    double f = 0.0;
    /* ln 2cosh h and tanh h from one expm1: m = e^{-2|h|} - 1,
     * ln 2cosh h = |h| + ln(2 + m), tanh|h| = -m / (2 + m)
     * (perf: tanh, exp and log1p separately were 45% of coupling-recovery;
     * then libm's expm1 and log1p 40%, now vmath's AVX2 ones).
     * In chunks: the elementary functions, then the terms and the residuals
     * in loops that vectorize, then f summed in order t = 0, 1, ...: the same
     * operations per element and the same order of the sum as one loop. */
    enum { CH = 256 };
    size_t total = N * (size_t)n;
    for (size_t t0 = 0; t0 < total; t0 += CH) {
        size_t nc = total - t0 < CH ? total - t0 : CH;
        double m[CH], term[CH], *h = H + t0;
        const double *s = S + t0;
        for (size_t i = 0; i < nc; i++) m[i] = -2.0 * fabs(h[i]);
        vmath_expm1(m, m, nc);
        for (size_t i = 0; i < nc; i++) term[i] = 1.0 + m[i];
        vmath_log1p(term, term, nc);
        #pragma omp simd
        for (size_t i = 0; i < nc; i++) {
            term[i] = s[i] * h[i] - (fabs(h[i]) + term[i]);
            h[i] = s[i] - copysign(-m[i] / (2.0 + m[i]), h[i]); /* d/dh_i [s_i h_i - ln 2cosh h_i] */
        }
        for (size_t i = 0; i < nc; i++) f += term[i];
    }
    return -f / (double)N;
}

/* Adds the data term's gradient at the point of the last dense_f to g. */
static void dense_grad(double *g, dense_ws *w, const plik_param *p, const plik_data *d)
{
    int n = p->n;
    size_t N = d->N;
    /* d/dK_ij of sum_i(...) = (s_i - tanh h_i) s_j + (s_j - tanh h_j) s_i */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, n, (int)N, 1.0, w->H, n, d->S, n, 0.0, w->G, n);
    for (int k = 0; k < p->npairs; k++)
        g[p->pp[k]] -= (w->G[p->pi[k] * n + p->pj[k]] + w->G[p->pj[k] * n + p->pi[k]]) / (double)N;
}

static double objective_dense(double *g, const plik_param *p, const double *theta, const plik_data *d)
{
    dense_ws w;
    double f = NAN;
    if (dense_ws_init(&w, p->n, d->N) == 0) {
        f = dense_f(&w, p, theta, d);
        if (g) dense_grad(g, &w, p, d);
    }
    dense_ws_clear(&w);
    return f;
}

/* Sparse route (few pairs per site): sum over each site's local patterns,
 * weighted by their frequency in the samples. */
static double objective_sparse(double *g, const plik_param *p, const double *theta, const plik_data *d)
{
    int n = p->n;
    size_t np = (size_t)1 << (PLIK_MAXDEG + 1);
    double f = 0.0;
    for (int i = 0; i < n; i++) {
        int k = d->deg[i];
        const double *cnt = d->count + (size_t)i * np;
        for (unsigned pat = 0; pat < (1u << (k + 1)); pat++) {
            if (cnt[pat] == 0.0) continue;
            double si = pat & 1 ? 1.0 : -1.0, h = 0.0;
            for (int m = 0; m < k; m++) h += theta[p->pp[d->inc[i * PLIK_MAXDEG + m]]] * (pat >> (m + 1) & 1 ? 1.0 : -1.0);
            f += cnt[pat] * (si * h - log2cosh(h));
            if (!g) continue;
            double r = cnt[pat] * (si - tanh(h));
            for (int m = 0; m < k; m++)
                g[p->pp[d->inc[i * PLIK_MAXDEG + m]]] -= r * (pat >> (m + 1) & 1 ? 1.0 : -1.0);
        }
    }
    return -f;
}

/* listing: plik-objective */
/* The Gaussian prior N(0, 1/(lam N)) per parameter: its terms added to the
 * data term f in parameter order, its gradient to g (when g). */
static double add_prior(double f, double *g, const plik_param *p, const double *theta, double lam)
{
    for (int q = 0; q < p->npar; q++) {
        f += 0.5 * lam * theta[q] * theta[q];
        if (g) g[q] += lam * theta[q];
    }
    return f;
}

double plik_objective(double *g, const plik_param *p, const double *theta, const plik_data *d,
                      double lam)
{
    if (g) memset(g, 0, (size_t)p->npar * sizeof *g);
    double f = d->dense ? objective_dense(g, p, theta, d) : objective_sparse(g, p, theta, d);
    return add_prior(f, g, p, theta, lam);
}
/* end: plik-objective */

double plik_mean_logpl(const plik_param *p, const double *theta, const plik_data *d)
{
    return -plik_objective(NULL, p, theta, d, 0.0) / p->n;
}

static double dot(const double *a, const double *b, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

static double infnorm(const double *a, int n)
{
    double m = 0.0;
    for (int i = 0; i < n; i++) m = fmax(m, fabs(a[i]));
    return m;
}

/* plik_objective for plik_fit: on the dense route (ws) the value only, the
 * gradient left to grad_at once the line search has accepted the point
 * (perf: a quarter of the evaluations are rejected steps, whose gradient
 * dgemm was wasted).  The same operations in the same order as
 * plik_objective, so the same bits. */
static double value_at(double *g, dense_ws *ws, const plik_param *p, const double *theta, const plik_data *d,
                       double lam)
{
    if (!ws) return plik_objective(g, p, theta, d, lam);
    return add_prior(dense_f(ws, p, theta, d), NULL, p, theta, lam);
}

/* The gradient at the point of the last value_at (dense route; else already there). */
static void grad_at(double *g, dense_ws *ws, const plik_param *p, const double *theta, const plik_data *d, double lam)
{
    if (!ws) return;
    memset(g, 0, (size_t)p->npar * sizeof *g);
    dense_grad(g, ws, p, d);
    add_prior(0.0, g, p, theta, lam);
}

/* L-BFGS (Nocedal & Wright, Alg. 7.4) with backtracking Armijo line search. */
int plik_fit(double *theta, plik_fit_info *info, const plik_param *p, const plik_data *data,
             double lam, double gtol, int maxit)
{
    enum { M = 8 };
    int P = p->npar;
    double *g = malloc((size_t)P * sizeof *g), *d = malloc((size_t)P * sizeof *d);
    double *xn = malloc((size_t)P * sizeof *xn), *gn = malloc((size_t)P * sizeof *gn);
    double *S = malloc((size_t)M * P * sizeof *S), *Y = malloc((size_t)M * P * sizeof *Y);
    double rho[M], alpha[M];
    memset(info, 0, sizeof *info);
    dense_ws w, *ws = NULL;
    if (data->dense) {
        if (dense_ws_init(&w, p->n, data->N) == 0) ws = &w;
        else dense_ws_clear(&w); /* out of memory: plik_objective as before */
    }
    double f = value_at(g, ws, p, theta, data, lam);
    grad_at(g, ws, p, theta, data, lam);
    info->evaluations = 1;
    int stored = 0, head = 0;
    for (int it = 0; it < maxit && infnorm(g, P) >= gtol; it++) {
        /* two-loop recursion: d = -H g */
        for (int i = 0; i < P; i++) d[i] = -g[i];
        for (int k = 0; k < stored; k++) {
            int j = (head - 1 - k + M) % M;
            alpha[j] = rho[j] * dot(S + (size_t)j * P, d, P);
            for (int i = 0; i < P; i++) d[i] -= alpha[j] * Y[(size_t)j * P + i];
        }
        if (stored) {
            int j = (head - 1 + M) % M;
            double gamma = dot(S + (size_t)j * P, Y + (size_t)j * P, P) / dot(Y + (size_t)j * P, Y + (size_t)j * P, P);
            for (int i = 0; i < P; i++) d[i] *= gamma;
        }
        for (int k = stored - 1; k >= 0; k--) {
            int j = (head - 1 - k + M) % M;
            double beta = rho[j] * dot(Y + (size_t)j * P, d, P);
            for (int i = 0; i < P; i++) d[i] += (alpha[j] - beta) * S[(size_t)j * P + i];
        }
        double slope = dot(g, d, P);
        if (slope >= 0) { /* not a descent direction: restart from steepest descent */
            for (int i = 0; i < P; i++) d[i] = -g[i];
            slope = -dot(g, g, P);
            stored = 0;
        }
        double step = 1.0, fn = f;
        for (int ls = 0; ls < 40; ls++, step *= 0.5) {
            for (int i = 0; i < P; i++) xn[i] = theta[i] + step * d[i];
            fn = value_at(gn, ws, p, xn, data, lam);
            info->evaluations++;
            if (fn <= f + 1e-4 * step * slope) break;
        }
        if (!(fn <= f)) break; /* no decrease: at the floor of rounding */
        grad_at(gn, ws, p, xn, data, lam); /* xn: the last point evaluated */
        double *sj = S + (size_t)head * P, *yj = Y + (size_t)head * P;
        for (int i = 0; i < P; i++) { sj[i] = xn[i] - theta[i]; yj[i] = gn[i] - g[i]; }
        double sy = dot(sj, yj, P);
        if (sy > 1e-300) {
            rho[head] = 1.0 / sy;
            head = (head + 1) % M;
            stored = stored < M ? stored + 1 : M;
        }
        memcpy(theta, xn, (size_t)P * sizeof *theta);
        memcpy(g, gn, (size_t)P * sizeof *g);
        f = fn;
        info->iterations = it + 1;
    }
    info->f = f;
    info->gnorm = infnorm(g, P);
    info->converged = info->gnorm < gtol;
    free(g); free(d); free(xn); free(gn); free(S); free(Y);
    if (ws) dense_ws_clear(ws);
    return 0;
}
